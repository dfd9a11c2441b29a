// icnn_score_loss: the ICNN score of "SuSana Distancia", L = -log(score), score in (0, 1].
// Distances d = sqrt(||o_i - t_j||^2 + 1e-6) [B, n]; each row keeps its ipc + 1 nearest and
// drops the first ("self"); sc / dc mark same- / different-label neighbours (eps = 1e-7):
//   nn_dc_i   = the nearest different-label neighbour distance (nonzero entries of d * dc)
//   nd_ij     = d_ij / (nn_dc_i + eps), j < k, then / max(1, max_j nd_ij)
//   lambda_sc = 1 - [sum_i (sum_j nd_ij sc_ij) / (|sc_i| + eps)] / (#{i: |sc_i| > 0} + eps)
//   dcnd_ij   = d_ij dc_ij (j < k) / (max over all of it + eps)
//   lambda_dc = |[sum_i (sum_j dcnd_ij) / (|dc_i| + eps)] / (#{i: |dc_i| > 0} + eps) + dcop|
//   dcop      = -1 when no row has a different-label neighbour among its first k, else 0
//   gamma     = mean_i |sc_i| / k (1 when k + 2 >= n)
//   score     = ((lambda_sc + lambda_dc) / 2 + gamma) / 2
// Paper: "SuSana Distancia is all you need: Enforcing class separability in metric learning
// via two novel distance-based loss functions for few-shot image classification" (Mendez-Ruiz
// et al.); code: the authors' ICNN module (modified_score, nearest_neighbors), as the catalog
// quotes it. Its quirks are kept: the zero-masking of nn_dc is an exact-zero test, and with a
// separate target (query vs support) the dropped "self" is a real neighbour.
// Defaults: k 4 (clipped to n - 2, n the target's rows), ipc k + 1. Reduction: one scalar per
// episode. Gradients: autograd through the selected distances of lambda; gamma, the top-k
// indices and the masks are constants (kinks where the neighbour order changes).
#include <cmath>

#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor icnn_score_loss(const Tensor& origin, const Tensor& labels, const IcnnScoreLossOptions& o) {
  const char* op = "icnn_score_loss";
  pairs::check_embeddings(op, "origin", origin);
  pairs::check_labels(op, "labels", labels, origin.size(0));
  LATHE_CHECK(o.target.defined() == o.target_labels.defined(), "[", op,
              "] target and target_labels go together");
  Tensor target = o.target.defined() ? o.target : origin;
  Tensor target_labels = o.target.defined() ? o.target_labels : labels;
  if (o.target.defined()) {
    pairs::check_embeddings(op, "target", target);
    check_shape(op, "target", target, {target.size(0), origin.size(1)});
    pairs::check_labels(op, "target_labels", target_labels, target.size(0));
  }
  const int64_t b = origin.size(0), n = target.size(0);
  LATHE_CHECK(o.k >= 1, "[", op, "] k must be >= 1, got ", o.k);
  LATHE_CHECK(o.ipc >= 0, "[", op, "] ipc must be >= 0 (0: k + 1), got ", o.ipc);
  LATHE_CHECK(n >= 3, "[", op, "] the target must hold at least 3 rows, got ", n);
  const int64_t k = o.k + 2 >= n ? n - 2 : o.k;
  const int64_t ipc = o.ipc == 0 ? k + 1 : o.ipc;
  LATHE_CHECK(ipc + 1 <= n && ipc >= k, "[", op, "] ipc must lie in [k, n - 1] = [", k, ", ",
              n - 1, "], got ", ipc);
  const double eps = 1e-7;
  Tensor diff = origin.unsqueeze(1) - target.unsqueeze(0);                  // [B, n, D]
  Tensor dist = sqrt(sum(diff * diff, {2}) + 1e-6);                          // [B, n]
  auto [near, idx] = topk(dist, ipc + 1, 1, false);                         // [B, ipc + 1]
  Tensor d = near.narrow(1, 1, ipc);                                        // [B, ipc]
  Tensor j = idx.narrow(1, 1, ipc).contiguous();                            // [B, ipc]
  Tensor yt = index_select(cast(target_labels, DType::i64), j.reshape({b * ipc}), 0);
  Tensor sc = eq(cast(labels, DType::i64).unsqueeze(1), yt.reshape({b, ipc}));  // [B, ipc]
  Tensor dc = logical_not(sc);
  Tensor dcnd = where(dc, d, 0.0);                                          // [B, ipc]
  Tensor nn_dc = min(masked_fill(dcnd, eq(dcnd, 0.0), INFINITY), {1}, true);  // [B, 1]
  Tensor nd = d.narrow(1, 0, k) / (nn_dc + eps);                            // [B, k]
  nd = nd / maximum(max(nd, {1}, true), 1.0);
  Tensor sck = sc.narrow(1, 0, k), dck = dc.narrow(1, 0, k);                // [B, k]
  const DType ft = d.dtype();
  Tensor sc_cnt = sum(cast(sck, ft), {1}), dc_cnt = sum(cast(dck, ft), {1});  // [B]
  Tensor sc_rows = sum(cast(gt(sc_cnt, 0.0), ft)), dc_rows = sum(cast(gt(dc_cnt, 0.0), ft));
  Tensor sc_lam = 1.0 - sum(sum(where(sck, nd, 0.0), {1}) / (sc_cnt + eps)) / (sc_rows + eps);
  Tensor dk = dcnd.narrow(1, 0, k);                                         // [B, k]
  dk = dk / (max(dk) + eps);
  const bool no_dc = cast(dc_rows, DType::f64).cpu().to_vector<double>()[0] == 0.0;
  Tensor dc_lam = abs(sum(sum(dk, {1}) / (dc_cnt + eps)) / (dc_rows + eps) - (no_dc ? 1.0 : 0.0));
  Tensor gamma = k + 2 < n ? sum(sc_cnt) / static_cast<double>(k * b)
                           : scalar_like(1.0, sc_cnt);
  return -log(((sc_lam + dc_lam) * 0.5 + gamma) * 0.5);
}

LATHE_REGISTER_OPS(icnn_score_loss) {
  using O = IcnnScoreLossOptions;
  registry.add(OpDef("icnn_score_loss", "metric_learning")
                   .summary("-log of ICNN's k-nearest-neighbour class-separability score")
                   .paper("SuSana Distancia is all you need")
                   .input("origin")
                   .input("labels", Kind::integer)
                   .options<O>()
                   .input("target", &O::target, Kind::floating, kOptional)
                   .input("target_labels", &O::target_labels, Kind::integer, kOptional)
                   .attr("k", &O::k, "neighbours scored (clipped to n - 2), >= 1")
                   .attr("ipc", &O::ipc, "neighbours fetched besides self; 0: k + 1")
                   .output("loss")
                   .own_reduction("one score per episode (a scalar)")
                   .run(icnn_score_loss));
}

}  // namespace lathe
