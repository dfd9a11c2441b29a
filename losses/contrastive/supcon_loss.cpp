// supcon_loss: the supervised contrastive loss of features [B, V, D] (V views) with labels [B].
// Anchors are all N = B V embeddings, each L2-normalized (contrast_mode 'all'):
//   S = Z Z^T / tau,  P(i) = same label and != i,  A(i) = every a != i
//   l_i = -(tau / base_tau) (1 / |P(i)|) sum_{p in P(i)} [S_ip - log sum_{a in A(i)} e^{S_ia}]
// no_positive (anchors with P(i) empty, possible only when V = 1):
//   'exclude' (default, PML's SupConLoss through its AvgNonZeroReducer): they leave the mean;
//             no anchor with a positive gives 0 with a graph;
//   'zero'    (HobbitLong/SupContrast losses.py today): they give 0 and count in the mean.
// Paper: "Supervised Contrastive Learning" (Khosla et al., NeurIPS 2020); catalog sources:
// "Continual Contrastive Spoken Language Understanding"; "Not All Semantics are Created Equal"
// (code as the catalog quotes it: HobbitLong/SupContrast losses.py, PML supcon_loss.py).
// NOTE: PML has no tau/base_tau factor (use base_tau = tau) and returns 0 for a batch of one
// label; the op computes the loss as defined there. Older SupContrast divides by |P(i)| = 0.
// Defaults: tau 0.07, base_tau 0.07, no_positive 'exclude'.
// Gradients: autograd (the row max the reference subtracts changes no value).
// Tiled (tile > 0, issue 18): nothing of size [N, N] is kept. The positives' sum needs no pair:
//   sum_{p in P(i)} S_ip = z_i . (Z_c(i) - z_i) / tau,  |P(i)| = n_c(i) - 1
// with Z_c the sum of the rows of class c (scatter_add over labels mapped to 0..C-1 on the
// host) and n_c its size, O(N D); only LSE_{a != i} S_ia needs the whole S, and it comes from
// the row-tiled log-sum-exp clip_contrastive_loss uses (detail::tiled_lse, the self-pairs
// excluded in the diagonal blocks), whose rule recomputes each [tile, tile] block in the
// backward: O(N tile) memory instead of O(N^2). The untiled composite is the reference it is
// tested against (1e-10 in f64, tiles that do and do not divide N).
#include <map>

#include "losses/contrastive/contrastive.h"
#include "losses/contrastive/tiled_lse.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {

// The per-anchor loss [N, 1] and |P(i)| [N, 1] of z [N, D] (view k in rows k B .. k B + B - 1)
// with labels [B], by tiles.
Tensor supcon_tiled(const Tensor& z, const Tensor& labels, const SupconLossOptions& o,
                    Tensor* npos_out) {
  const int64_t n = z.size(0), d = z.size(1), b = labels.size(0);
  std::vector<int64_t> lab = cast(labels, DType::i64).to(Device::reference())
                                 .to_vector<int64_t>();
  std::map<int64_t, int64_t> ids;  // label -> class index, in label order
  for (int64_t l : lab) ids.emplace(l, 0);
  int64_t classes = 0;
  for (auto& kv : ids) kv.second = classes++;
  std::vector<int64_t> id(n), size(classes, 0);
  for (int64_t i = 0; i < n; ++i) ++size[id[i] = ids[lab[i % b]]];
  std::vector<double> npos(n);
  for (int64_t i = 0; i < n; ++i) npos[i] = static_cast<double>(size[id[i]] - 1);
  Tensor idx = from_vector(id, {n}).to(z.device());                               // [N]
  Tensor zc = scatter_add(zeros({classes, d}, z.dtype(), z.device()),
                          expand(reshape(idx, {n, 1}), {n, d}), z, 0);            // [C, D]
  Tensor pos = (sum(z * index_select(zc, idx, 0), {1}) - sum(z * z, {1})) / o.tau;  // [N]
  Tensor scale = full({}, 1.0 / o.tau, z.dtype(), z.device());
  Tensor lse = detail::tiled_lse(z, z, scale, o.tile, false, true).row;            // [N]
  Tensor np = cast(from_vector(npos, {n}), z.dtype()).to(z.device());             // [N]
  *npos_out = reshape(np, {n, 1});
  Tensor l = -(o.tau / o.base_tau) * (pos - np * lse) / maximum(np, 1.0);         // [N]
  return reshape(l, {n, 1});
}

}  // namespace

Tensor supcon_loss(const Tensor& features, const Tensor& labels, const SupconLossOptions& o) {
  const char* op = "supcon_loss";
  pairs::check_embeddings(op, "features", features, 3);
  pairs::check_labels(op, "labels", labels, features.size(0));
  pairs::check_positive(op, "tau", o.tau);
  pairs::check_positive(op, "base_tau", o.base_tau);
  LATHE_CHECK(o.no_positive == "exclude" || o.no_positive == "zero", "[", op,
              "] no_positive must be exclude or zero, got '", o.no_positive, "'");
  LATHE_CHECK(o.tile >= 0, "[", op, "] tile must be >= 0 (0: untiled), got ", o.tile);
  const int64_t b = features.size(0), v = features.size(1), d = features.size(2);
  Tensor z = pairs::l2_normalize(reshape(permute(features, {1, 0, 2}), {v * b, d}));  // [N, D]
  if (o.tile > 0) {
    Tensor npos;
    Tensor l = supcon_tiled(z, labels, o, &npos);                                     // [N, 1]
    if (o.no_positive == "zero") return mean(l);
    return pairs::masked_mean(l, gt(npos, 0.0));
  }
  std::vector<Tensor> copies(v, labels);
  Tensor lab = concat(copies, 0);                                                     // [N]
  Tensor s = matmul(z, z.t()) / o.tau;                                                // [N, N]
  Tensor others = pairs::not_self(v * b, s.device());
  Tensor pos = logical_and(pairs::same_label(lab, lab), others);                      // [N, N]
  Tensor logp = s - pairs::masked_logsumexp(s, others, 1, false);                     // [N, N]
  Tensor npos = pairs::count(pos, 1, s.dtype());                                      // [N, 1]
  Tensor l = -(o.tau / o.base_tau) * sum(where(pos, logp, 0.0), {1}, true) / maximum(npos, 1.0);
  if (o.no_positive == "zero") return mean(l);
  return pairs::masked_mean(l, gt(npos, 0.0));
}

LATHE_REGISTER_OPS(supcon_loss) {
  registry.add(OpDef("supcon_loss", "contrastive")
                   .summary("supervised contrastive loss over all views (SupCon)")
                   .paper("Continual Contrastive Spoken Language Understanding; Not All Semantics "
                          "are Created Equal: Contrastive Self-supervised Learning with Automatic "
                          "Temperature Individualization")
                   .input("features")
                   .input("labels", Kind::integer)
                   .options<SupconLossOptions>()
                   .attr("tau", &SupconLossOptions::tau, "temperature, > 0")
                   .attr("base_tau", &SupconLossOptions::base_tau,
                         "the loss is scaled by tau / base_tau")
                   .attr("no_positive", &SupconLossOptions::no_positive,
                         "exclude (PML: leave the mean) | zero (SupContrast: count as 0)")
                   .attr("tile", &SupconLossOptions::tile,
                         "> 0: row tiles of this many anchors, O(N tile) memory; 0: untiled")
                   .output("loss")
                   .custom_backward("tile > 0: the log-sum-exp's rule recomputes the logit "
                                    "blocks (the composite's derivative, in O(N tile) memory)")
                   .own_reduction("the mean over anchors, those without a positive left out "
                                  "('exclude') or counted as 0 ('zero')")
                   .run(supcon_loss));
}

}  // namespace lathe
