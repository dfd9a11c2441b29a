// klom: KLoM (KL divergence of margins), the unlearning metric, per example j, from the margins
// of several unlearned models p [M_u, N] and of several retrained "oracle" models q [M_o, N]:
//   1. clip both to [-clip, clip];
//   2. bins equal-width bins on [lo, hi] = [min(p u q), max(p u q)] (hi = lo + 1 when equal),
//      edges = linspace(lo, hi, bins + 1); v is in bin i when e_{i-1} <= v < e_i (np.digitize),
//      so values equal to the top edge are not counted;
//   3. p, q = counts / counted total; q <- max(q, eps) where p > 0; both renormalized;
//   KLoM = sum_{p_i > 0} p_i log(p_i / q_i)   (natural log)
// One value per example [N]. Not differentiable (a histogram), computed on the host.
// klom_margins: the margin f_y(x) - logsumexp_{k != y} f_k(x) of logits [M, N, C] over M
// models and integer labels [N]: [M, N] (differentiable; a composite).
// Paper: "Attribute-to-Delete: Machine Unlearning via Datamodel Matching" (Georgiev et al.,
// 2024; catalog: metric.md, confidence 'official code': RoyRin/data-unlearning-bench
// unlearning_bench/eval.py get_margin, get_margins_from_multimodel_logits,
// compute_binned_KL_div, kl_from_margins).
// Defaults: bins 20, eps 1e-5, clip 100.
// Decision: the histogram runs in double on the host (edges as torch.linspace's points). An
// unlearned histogram that counts nothing (every p at the top edge) gives 0, as the catalog's
// reference does (scipy.stats.entropy gives NaN there); an empty oracle histogram keeps q = 0
// and the eps floor where p > 0.
#include "ops/composite.h"
#include "ops/metric/common.h"
#include "ops/metric/metric.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lathe {
namespace {

std::vector<double> histogram(const std::vector<double>& v, const std::vector<double>& edges) {
  size_t bins = edges.size() - 1;
  std::vector<double> count(bins, 0.0);
  for (double x : v) {
    // np.digitize(x, edges) - 1: the last edge <= x; x at the top edge falls outside
    size_t i = static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), x) -
                                   edges.begin());
    if (i >= 1 && i <= bins) count[i - 1] += 1.0;
  }
  return count;
}

void normalize(std::vector<double>& p) {
  double total = 0.0;
  for (double x : p) total += x;
  if (total > 0)
    for (double& x : p) x /= total;
}

}  // namespace

Tensor klom(const Tensor& margins_unlearned, const Tensor& margins_oracle, const KlomOptions& o) {
  const char* op = "klom";
  check_floating(op, "margins_unlearned", margins_unlearned);
  check_floating(op, "margins_oracle", margins_oracle);
  check_dim(op, "margins_unlearned", margins_unlearned, 2);
  check_dim(op, "margins_oracle", margins_oracle, 2);
  int64_t mu = margins_unlearned.shape()[0], mo = margins_oracle.shape()[0];
  int64_t n = margins_unlearned.shape()[1];
  LATHE_CHECK(mu >= 1 && mo >= 1 && margins_oracle.shape()[1] == n, "[", op,
              "] margins must be [M_u, N] and [M_o, N] with M >= 1, got ",
              margins_unlearned.shape(), " and ", margins_oracle.shape());
  LATHE_CHECK(o.bins >= 1, "[", op, "] bins must be >= 1, got ", o.bins);
  LATHE_CHECK(o.eps > 0 && o.clip > 0, "[", op, "] eps and clip must be > 0, got ", o.eps,
              ", ", o.clip);
  std::vector<double> pu = margins_unlearned.to_vector<double>();
  std::vector<double> po = margins_oracle.to_vector<double>();
  for (double x : pu) LATHE_CHECK(!std::isnan(x), "[", op, "] margins_unlearned holds NaN");
  for (double x : po) LATHE_CHECK(!std::isnan(x), "[", op, "] margins_oracle holds NaN");
  auto clip = [&](double x) { return std::min(std::max(x, -o.clip), o.clip); };
  std::vector<double> out(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) {
    std::vector<double> p(mu), q(mo);
    for (int64_t i = 0; i < mu; ++i) p[i] = clip(pu[i * n + j]);
    for (int64_t i = 0; i < mo; ++i) q[i] = clip(po[i * n + j]);
    double lo = std::min(*std::min_element(p.begin(), p.end()),
                         *std::min_element(q.begin(), q.end()));
    double hi = std::max(*std::max_element(p.begin(), p.end()),
                         *std::max_element(q.begin(), q.end()));
    if (lo >= hi) hi = lo + 1.0;
    std::vector<double> edges = metric_detail::linspace(lo, hi, o.bins + 1);
    std::vector<double> hp = histogram(p, edges), hq = histogram(q, edges);
    normalize(hp);
    normalize(hq);
    for (size_t b = 0; b < hp.size(); ++b)
      if (hp[b] > 0) hq[b] = std::max(hq[b], o.eps);
    normalize(hp);
    normalize(hq);
    double kl = 0.0;
    for (size_t b = 0; b < hp.size(); ++b)
      if (hp[b] > 0) kl += hp[b] * std::log(hp[b] / hq[b]);
    out[j] = kl;
  }
  return from_vector(out, {n}, DType::f64, margins_unlearned.device())
      .to(margins_unlearned.dtype());
}

Tensor klom_margins(const Tensor& logits, const Tensor& labels) {
  const char* op = "klom_margins";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 3);
  int64_t n = logits.shape()[1], c = logits.shape()[2];
  LATHE_CHECK(c >= 2, "[", op, "] logits need C >= 2 classes, got ", logits.shape());
  metric_detail::check_labels(op, "labels", labels, n, c);
  Tensor target = cast(one_hot(labels, c), DType::boolean);            // [N, C]
  Tensor fy = sum(where(target, logits, 0.0), {2});                     // [M, N]
  Tensor rest = logsumexp(where(target, -std::numeric_limits<double>::infinity(), logits), {2});
  return fy - rest;                                                     // [M, N]
}

LATHE_REGISTER_OPS(klom) {
  registry.add(OpDef("klom", "metric")
                   .summary("KLoM: KL divergence of the binned margins of unlearned against "
                            "retrained models, per example (not differentiable)")
                   .paper("Attribute-to-Delete: Machine Unlearning via Datamodel Matching")
                   .input("margins_unlearned", Kind::floating, kNoGrad)
                   .input("margins_oracle", Kind::floating, kNoGrad)
                   .options<KlomOptions>()
                   .attr("bins", &KlomOptions::bins, "equal-width histogram bins")
                   .attr("eps", &KlomOptions::eps, "floor of q where p > 0")
                   .attr("clip", &KlomOptions::clip, "margins clipped to [-clip, clip]")
                   .output("klom")
                   .run(klom));
  registry.add(OpDef("klom_margins", "metric")
                   .summary("KLoM's margin f_y - logsumexp_{k != y} f_k of logits [M, N, C]")
                   .paper("Attribute-to-Delete: Machine Unlearning via Datamodel Matching")
                   .input("logits")
                   .input("labels", Kind::integer)
                   .output("margin")
                   .run(klom_margins));
}

}  // namespace lathe
