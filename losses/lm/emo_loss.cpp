// emo_loss: EMO, Earth Mover Distance optimization for auto-regressive LMs. Logits z [N, V],
// labels y [N] (ignore_index marks ignored tokens), a frozen cost embedding E [V, H] (a copy of
// the LM head at initialization):
//   E^ = E / |E|_row (token cost 1 - cos(e_i, e_j)),   q = softmax(z),
//   p = (onehot(y) + 1e-15) / sum (the reference smooths the one-hot),
//   emo = 1 - <p^T E^, q^T E^>         (a differentiable upper bound of the EMD to y),
//   mle = CE(z, y),    l = 0.5 (mle + sg(mle / (emo + 1e-10)) emo),
// reduced 'mean' (default: the masked mean sum l m / (sum m + 1e-15)), 'sum' or 'none' ([N], 0
// at ignored tokens).
// Paper: "EMO: Earth Mover Distance Optimization for Auto-Regressive Language Modeling"
// (catalog: lm.md, official code). The 'adaptive_emo' variant passes the live LM head as E.
// Defaults: ignore_index -100, reduction 'mean'. This op uses the dense smoothed one-hot (the
// reference's), not the gathered E^[y] (the value differs by ~1e-15 V).
// Defined backward (a stop-gradient of an input-dependent scale): the factor mle / (emo + 1e-10)
// is a constant in the backward; tested against PyTorch's autograd of the same form, not finite
// differences. E gets no gradient (frozen).
// Composite.
#include "losses/lm/lm.h"
#include "ops/composite.h"

namespace lathe {

Tensor emo_loss(const Tensor& input, const Tensor& target, const Tensor& cost_embedding,
                const EmoLossOptions& o) {
  const char* op = "emo_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction r = parse_reduction(op, o.reduction);
  int64_t n = input.shape()[0], v = input.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{n}, "[",
              op, "] class-index targets must be integers [", n, "], got ",
              target.defined() ? target.shape() : Shape{});
  check_floating(op, "cost_embedding", cost_embedding);
  LATHE_CHECK(cost_embedding.dim() == 2 && cost_embedding.shape()[0] == v, "[", op,
              "] cost_embedding must be [V, H] = [", v, ", H], got ", cost_embedding.shape());
  Tensor y = target.to(DType::i64);
  for (int64_t t : y.to_vector<int64_t>())
    LATHE_CHECK(t == o.ignore_index || (t >= 0 && t < v), "[", op, "] target ", t,
                " out of range [0, ", v, ")");
  Tensor keep = ne(y, static_cast<double>(o.ignore_index));                    // [N] bool
  Tensor m = cast(keep, input.dtype());                                         // [N]
  Tensor lab = where(keep, y, zeros_like(y));                                   // [N]
  Tensor mle = softmax_cross_entropy(input, lab);                               // [N]
  Tensor e = cost_embedding.detach();                                           // [V, H]
  Tensor en = e / sqrt(maximum(sum(e * e, {1}, true), 1e-24));                  // [V, H]
  Tensor oh = cast(one_hot(lab, v), input.dtype()) + 1e-15;                     // [N, V]
  Tensor p = oh / sum(oh, {1}, true);                                           // [N, V]
  Tensor q = softmax(input, 1);                                                 // [N, V]
  Tensor emo = 1.0 - sum(matmul(p, en) * matmul(q, en), {1});                   // [N]
  Tensor scale = (mle / (emo + 1e-10)).detach();                                // [N]
  Tensor rows = 0.5 * (mle + scale * emo) * m;                                  // [N]
  if (r != Reduction::mean) return apply_reduction(rows, r);
  return sum(rows) / (sum(m) + 1e-15);
}

LATHE_REGISTER_OPS(emo_loss) {
  registry.add(OpDef("emo_loss", "lm")
                   .summary("EMO: CE plus an embedding-cost EMD bound rescaled to CE's size")
                   .paper("EMO: Earth Mover Distance Optimization for Auto-Regressive Language "
                          "Modeling")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("cost_embedding", Kind::floating, kNoGrad)
                   .options<EmoLossOptions>()
                   .attr("ignore_index", &EmoLossOptions::ignore_index,
                         "labels equal to it are ignored")
                   .attr("reduction", &EmoLossOptions::reduction,
                         "none | mean (masked, / (valid + 1e-15)) | sum")
                   .custom_backward("the scale mle / (emo + 1e-10) is detached (EMO's)")
                   .output("loss")
                   .run(emo_loss));
}

}  // namespace lathe
