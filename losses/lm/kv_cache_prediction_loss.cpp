// kv_cache_prediction_loss: the cache term of KV Prediction. Per layer l, the auxiliary model's
// predicted keys and values K^_l, V^_l against the base model's K_l, V_l ([B, H, T, d] each),
// over the positions whose label [B, T] is not ignore_index:
//   L = sum_l L1(K^_l, K_l) + sum_l L1(V^_l, V_l),   L1 = mean over the kept (b, h, t, e),
// ('mean', default); 'sum' sums every kept |difference|; 'none' gives the per-position sums
// [B, T] (0 at ignored positions). The full objective (CE and logit_z_loss of the base and the
// auxiliary model, weighted, plus this term times w_kv) is the caller's.
// Paper: "KV Prediction for Improved Time to First Token" (catalog: lm.md; official code
// apple/corenet corenet/loss_fn/language_modeling/cross_entropy_for_kv_prediction.py
// get_cache_losses).
// Defaults: ignore_index -100, reduction 'mean'. The reference does not detach K_l, V_l (the
// model code decides): both sides are differentiated here too.
// NOTE: every position ignored is an empty selection (NaN) in the reference; lathe gives a
// finite 0 with a graph (the loss contract for ops with ignore_index).
// Gradient (autograd): sign(K^ - K) / n at kept positions (subgradient 0 at equality).
// Composite.
#include "losses/lm/lm.h"
#include "ops/composite.h"

namespace lathe {

Tensor kv_cache_prediction_loss(const std::vector<Tensor>& k_hat, const std::vector<Tensor>& k,
                                const std::vector<Tensor>& v_hat, const std::vector<Tensor>& v,
                                const Tensor& labels, const KvCachePredictionLossOptions& o) {
  const char* op = "kv_cache_prediction_loss";
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(!k_hat.empty() && k_hat.size() == k.size() && v_hat.size() == v.size() &&
                  k_hat.size() == v_hat.size(),
              "[", op, "] needs one K^, K, V^ and V per layer, got ", k_hat.size(), ", ",
              k.size(), ", ", v_hat.size(), " and ", v.size());
  LATHE_CHECK(labels.defined() && is_integral(labels.dtype()) && labels.dim() == 2, "[", op,
              "] labels must be integers [B, T], got ",
              labels.defined() ? labels.shape() : Shape{});
  int64_t b = labels.shape()[0], t = labels.shape()[1];
  Tensor keep = cast(ne(labels.to(DType::i64), double(o.ignore_index)),
                     k_hat[0].defined() ? k_hat[0].dtype() : DType::f32);     // [B, T]
  Tensor kept = reshape(keep, {b, 1, t, 1});                                  // [B, 1, T, 1]
  Tensor n = sum(keep);                                                       // []
  Tensor total, rows;
  auto add_pair = [&](const char* name, const Tensor& p, const Tensor& q) {
    check_floating(op, name, p);
    check_floating(op, name, q);
    check_same_shape(op, name, p, name, q);
    LATHE_CHECK(p.dim() == 4 && p.shape()[0] == b && p.shape()[2] == t, "[", op, "] ", name,
                " must be [B, H, T, d] = [", b, ", H, ", t, ", d], got ", p.shape());
    Tensor err = abs(p - q) * kept;                                           // [B, H, T, d]
    double per_pos = double(p.shape()[1] * p.shape()[3]);
    Tensor layer = sum(err) / maximum(n * per_pos, 1.0);                      // [] masked mean
    Tensor pos = sum(err, {1, 3});                                            // [B, T]
    total = total.defined() ? total + layer : layer;
    rows = rows.defined() ? rows + pos : pos;
  };
  for (size_t l = 0; l < k_hat.size(); ++l) {
    add_pair("keys", k_hat[l], k[l]);
    add_pair("values", v_hat[l], v[l]);
  }
  if (r == Reduction::mean) return total;
  return apply_reduction(rows, r);
}

LATHE_REGISTER_OPS(kv_cache_prediction_loss) {
  registry.add(OpDef("kv_cache_prediction_loss", "lm")
                   .summary("L1 of predicted against base KV caches over non-ignored positions")
                   .paper("KV Prediction for Improved Time to First Token")
                   .input("k_hat", Kind::floating, kVariadic)
                   .input("k", Kind::floating, kVariadic)
                   .input("v_hat", Kind::floating, kVariadic)
                   .input("v", Kind::floating, kVariadic)
                   .input("labels", Kind::integer)
                   .options<KvCachePredictionLossOptions>()
                   .attr("ignore_index", &KvCachePredictionLossOptions::ignore_index,
                         "positions whose label equals it are left out")
                   .attr("reduction", &KvCachePredictionLossOptions::reduction,
                         "none ([B, T]) | mean (per-layer masked means, summed) | sum")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{kv_cache_prediction_loss(
                         c.ins("k_hat"), c.ins("k"), c.ins("v_hat"), c.ins("v"), c.in("labels"),
                         c.options<KvCachePredictionLossOptions>())};
                   }));
}

}  // namespace lathe
