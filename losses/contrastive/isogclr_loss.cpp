// isogclr_loss: iSogCLR, SogCLR's DRO objective with individualized temperatures. For anchor i
// of view v (rows L2-normalized), its 2B - 2 in-batch negatives s_ij (both views, j != i) and
// its positive s_ii = <z1_i, z2_i>, the objective is
//   F_i(tau_i) = tau_i log((1/|S_i|) sum_j exp((s_ij - s_ii) / tau_i)) + tau_i rho.
// The op computes its stochastic surrogate: g_i = mean_j exp(sg(s_ij) / tau_i),
//   s_bar_i <- (1 - gamma) s_bar_i + gamma g_i   (s_bar_i = g_i on the first epoch)
//   w_ij = exp(sg(s_ij) / tau_i) / s_bar_i  (constants),   L_i = sum_j w_ij s_ij / |S_i| - s_ii
// whose gradient is grad F_i when s_bar is exact (gamma = 1). The temperatures move without
// autograd: grad_tau_i = clamp(log s_bar_i + rho - sum_j w_ij sg(s_ij) / tau_i / |S_i|, -3, 3)
// averaged over the two views, u_i <- (1 - beta_u) u_i + beta_u grad_tau_i,
// tau_i <- clamp(tau_i - eta u_i, tau_min, tau_max).
// Paper: "Not All Semantics are Created Equal: Contrastive Self-supervised Learning with
// Automatic Temperature Individualization" (Qiu et al., ICML 2023); code
// zhqiu/contrastive-learning-iSogCLR unimodal_exps/losses.py (SogCLR_DRO_Loss), as the catalog
// quotes it.
// State (DESIGN rule 9): s_bar [N, 2] (one column per view), tau [N] (start at 0.07), u [N],
// indexed by the dataset rows `index`; the op returns new tensors (rows of a repeated index:
// the last one wins) and never writes its inputs.
// Defaults: rho 6, gamma 0.8, beta_u 0.9, eta 1e-3, tau in [0.05, 1]. Reduction: mean over the
// 2B anchors of both views ('none' gives [2B], view 1 first).
// Gradients: custom by definition (the weights are stop-gradient): the oracle checks them.
#include <algorithm>
#include <vector>

#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
std::vector<double> host(const Tensor& t) {
  return cast(t.detach(), DType::f64).cpu().contiguous().to_vector<double>();
}
}  // namespace

IsogclrResult isogclr_loss(const Tensor& z1, const Tensor& z2, const Tensor& index,
                           const Tensor& s_bar, const Tensor& tau, const Tensor& u,
                           const IsogclrLossOptions& o) {
  const char* op = "isogclr_loss";
  pairs::check_embeddings(op, "z1", z1);
  check_shape(op, "z2", z2, z1.shape());
  check_floating(op, "z2", z2);
  const int64_t b = z1.size(0);
  LATHE_CHECK(b >= 2, "[", op, "] the batch must hold at least 2 rows, got ", b);
  check_floating(op, "tau", tau);
  check_dim(op, "tau", tau, 1);
  const int64_t n = tau.size(0);
  check_floating(op, "s_bar", s_bar);
  check_shape(op, "s_bar", s_bar, {n, 2});
  check_floating(op, "u", u);
  check_shape(op, "u", u, {n});
  pairs::check_labels(op, "index", index, b);
  pairs::check_label_range(op, index, n, "index");
  LATHE_CHECK(o.tau_min > 0.0 && o.tau_min <= o.tau_max, "[", op,
              "] need 0 < tau_min <= tau_max, got ", o.tau_min, " and ", o.tau_max);
  Reduction r = parse_reduction(op, o.reduction);
  const DType dt = z1.dtype();
  Tensor idx = cast(index, DType::i64);
  Tensor a = pairs::l2_normalize(z1), p = pairs::l2_normalize(z2);          // [B, D]
  Tensor pos = sum(a * p, {1});                                             // [B]
  // Column j of [z_v z_v^T | z_v z_w^T] for every j but i and B + i: [B, 2B - 2].
  std::vector<int64_t> cols;
  for (int64_t i = 0; i < b; ++i)
    for (int64_t j = 0; j < 2 * b; ++j)
      if (j != i && j != b + i) cols.push_back(j);
  Tensor keep = from_vector(cols, {b, 2 * b - 2}, z1.device());
  Tensor t = cast(index_select(tau.detach(), idx, 0), dt).unsqueeze(1);              // [B, 1]
  Tensor sb_old = cast(index_select(s_bar.detach(), idx, 0), dt);                    // [B, 2]
  std::vector<Tensor> losses, sbars;
  Tensor gtau;
  for (int v = 0; v < 2; ++v) {
    const Tensor& x = v == 0 ? a : p;
    const Tensor& y = v == 0 ? p : a;
    Tensor neg = gather(concat({matmul(x, x.t()), matmul(x, y.t())}, 1), keep, 1);  // [B, 2B-2]
    Tensor e = exp(neg.detach() / t);                                       // [B, 2B-2]
    Tensor g = mean(e, {1});                                                // [B]
    Tensor sb = o.first ? g : (1.0 - o.gamma) * sb_old.select(1, v) + o.gamma * g;
    Tensor w = e / sb.unsqueeze(1);                                         // [B, 2B-2]
    losses.push_back(mean(w * neg, {1}) - pos);                             // [B]
    sbars.push_back(sb);
    Tensor gv = clamp(log(sb) + o.rho - mean(w * neg.detach() / t, {1}), -3.0, 3.0) * 0.5;
    gtau = v == 0 ? gv : gtau + gv;
  }
  // The state: rows of `index` replaced, in order (a repeated index keeps its last row).
  std::vector<double> s_new = host(s_bar), tau_new = host(tau), u_new = host(u);
  std::vector<double> sb0 = host(sbars[0]), sb1 = host(sbars[1]), gt = host(gtau);
  std::vector<double> tau_rows = host(t), u_old = host(index_select(u, idx, 0));
  std::vector<int64_t> rows = idx.cpu().contiguous().to_vector<int64_t>();
  for (int64_t i = 0; i < b; ++i) {
    const int64_t k = rows[i];
    s_new[2 * k] = sb0[i];
    s_new[2 * k + 1] = sb1[i];
    u_new[k] = (1.0 - o.beta_u) * u_old[i] + o.beta_u * gt[i];
    tau_new[k] = std::min(std::max(tau_rows[i] - o.eta * u_new[k], o.tau_min), o.tau_max);
  }
  auto back = [&](const std::vector<double>& v, const Tensor& like) {
    return cast(from_vector(v, like.shape(), DType::f64, like.device()), like.dtype());
  };
  return {apply_reduction(concat(losses, 0), r), back(s_new, s_bar), back(tau_new, tau),
          back(u_new, u)};
}

LATHE_REGISTER_OPS(isogclr_loss) {
  using O = IsogclrLossOptions;
  registry.add(OpDef("isogclr_loss", "contrastive")
                   .summary("iSogCLR: SogCLR's DRO surrogate with per-sample learned "
                            "temperatures (state in and out)")
                   .paper("Not All Semantics are Created Equal: Contrastive Self-supervised "
                          "Learning with Automatic Temperature Individualization")
                   .input("z1")
                   .input("z2")
                   .input("index", Kind::integer)
                   .output("loss")
                   .state("s_bar")
                   .state("tau")
                   .state("u")
                   .options<O>()
                   .attr("rho", &O::rho, "DRO radius")
                   .attr("gamma", &O::gamma, "moving-average rate of s_bar")
                   .attr("beta_u", &O::beta_u, "moving-average rate of the temperature gradient")
                   .attr("eta", &O::eta, "learning rate of the temperatures")
                   .attr("tau_min", &O::tau_min, "lower temperature bound, > 0")
                   .attr("tau_max", &O::tau_max, "upper temperature bound")
                   .attr("first", &O::first, "first epoch: s_bar = this batch's estimate")
                   .attr("reduction", &O::reduction, "none | mean | sum over the 2B anchors")
                   .custom_backward("the weights w_ij = exp(s_ij / tau_i) / s_bar_i are "
                                    "stop-gradient: the gradient is that of F when s_bar is "
                                    "exact, not the surrogate value's derivative")
                   .run([](const OpCall& c) {
                     IsogclrResult res = isogclr_loss(c.in("z1"), c.in("z2"), c.in("index"),
                                                      c.in("s_bar"), c.in("tau"), c.in("u"),
                                                      c.options<O>());
                     return Outputs{res.loss, res.s_bar, res.tau, res.u};
                   }));
}

}  // namespace lathe
