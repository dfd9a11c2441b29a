// mixup_cross_entropy: the K-point Mixup empirical risk. The model's logits on the mixed batch
// out = f(sum_k w_k x[pi_k]) [B, C], class indices y [B], the permutations pi_1..pi_{K-1}
// stacked [K-1, B] (pi_0 is the identity; K = 1 is a [0, B] tensor, plain cross-entropy) and
// the Dirichlet(alpha 1_K) weights w [K], drawn by the caller (explicit inputs):
//   l_b = sum_k w_k CE(out_b, y[pi_k(b)])   (CE with the soft target sum_k w_k e_{y[pi_k(b)]}),
// reduced 'mean' over the batch (default: the reference's sum_k w_k CE_mean), 'sum' or 'none'.
// Mixing the inputs is the caller's elementwise step.
// Paper: "On the Limitations of Temperature Scaling for Distributions with Overlaps"
// (Chidambaram & Ge; catalog: calibration.md; official code 2014mchidamb/temp-scaling-limitations
// utils/mixup_utils.py GeneralMixupLoss).
// Defaults: alpha 1, K 2 enter only through w and perms; reduction 'mean'.
// Gradient (autograd): into the logits only; w and the permutations are sampled constants.
// Composite.
#include "losses/calibration/calibration.h"
#include "ops/composite.h"

namespace lathe {

Tensor mixup_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& perms,
                           const Tensor& weights, const MixupCrossEntropyOptions& o) {
  const char* op = "mixup_cross_entropy";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction r = parse_reduction(op, o.reduction);
  int64_t b = input.shape()[0], c = input.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{b}, "[",
              op, "] class-index targets must be integers [", b, "], got ",
              target.defined() ? target.shape() : Shape{});
  LATHE_CHECK(perms.defined() && is_integral(perms.dtype()) && perms.dim() == 2 &&
                  perms.shape()[1] == b,
              "[", op, "] perms must be integers [K-1, ", b, "], got ",
              perms.defined() ? perms.shape() : Shape{});
  int64_t k = perms.shape()[0] + 1;
  check_floating(op, "weights", weights);
  LATHE_CHECK(weights.shape() == Shape{k}, "[", op, "] weights must be [K] = [", k,
              "] (one per permutation and the identity), got ", weights.shape());
  for (int64_t t : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(t >= 0 && t < c, "[", op, "] target ", t, " out of range [0, ", c, ")");
  for (int64_t i : perms.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(i >= 0 && i < b, "[", op, "] permutation entry ", i, " out of range [0, ", b,
                ")");
  Tensor y = target.to(DType::i64);
  Tensor ys = unsqueeze(y, 0);                                                   // [1, B]
  if (k > 1) {
    Tensor flat = reshape(perms.to(DType::i64), {(k - 1) * b});                  // [(K-1) B]
    ys = concat({ys, reshape(index_select(y, flat, 0), {k - 1, b})}, 0);         // [K, B]
  }
  Tensor lp = log_softmax(input, 1);                                             // [B, C]
  Tensor picked = gather(lp, transpose(ys, 0, 1), 1);                            // [B, K]
  Tensor rows = -sum(picked * unsqueeze(weights.detach(), 0), {1});              // [B]
  return apply_reduction(rows, r);
}

LATHE_REGISTER_OPS(mixup_cross_entropy) {
  registry.add(OpDef("mixup_cross_entropy", "calibration")
                   .summary("K-point Mixup cross-entropy sum_k w_k CE(out, y[perm_k])")
                   .paper("On the Limitations of Temperature Scaling for Distributions with "
                          "Overlaps")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("perms", Kind::integer)
                   .input("weights", Kind::floating, kNoGrad)
                   .options<MixupCrossEntropyOptions>()
                   .attr("reduction", &MixupCrossEntropyOptions::reduction,
                         "none | mean | sum, over the batch")
                   .output("loss")
                   .run(mixup_cross_entropy));
}

}  // namespace lathe
