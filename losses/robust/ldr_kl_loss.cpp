// ldr_kl_loss: the label-distributionally robust loss with a KL regularizer (LDR-KL). Scores
// h [B, C], class indices y [B]:
//   s = softplus(h) / mean_k softplus(h)_k     (softplus_norm; else s = h),
//   d_k = s_k - s_y + c 1[k != y],
//   l = lambda (LSE_k(d_k / lambda) - log C) = max_{p in simplex} sum_k p_k d_k - lambda KL(p||U),
// reduced 'mean' over the batch (default), 'sum' or 'none' ([B]).
// Limits: c = 0, lambda = 1, no normalization gives CE - log C; lambda -> 0 the Crammer-Singer
// hinge max_k d_k; lambda -> infinity the mean margin.
// Paper: "Label Distributionally Robust Losses for Multi-class Classification: Consistency,
// Robustness and Adaptivity" (Zhu, Ying, Yang, ICML 2023; catalog: robust.md; official code
// Optimization-AI/ICML2023_LDR loss.py LDRLoss_V1, experiment.py).
// Defaults: margin 2, lambda 1, softplus_norm true (LDRLoss_V1's class defaults).
// NOTE: the experiment script runs margin 0.1, lambda 10; both sets are attributes.
// Gradient (autograd): dl/ds_k = softmax(d / lambda)_k - 1[k = y], then through the mean
// normalization and softplus. logsumexp shifts by the row max (the reference subtracts a
// detached max: the same function).
// Composite.
#include "losses/robust/robust.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor ldr_kl_loss(const Tensor& input, const Tensor& target, const LdrKlLossOptions& o) {
  const char* op = "ldr_kl_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.lam > 0, "[", op, "] lam must be > 0, got ", o.lam);
  int64_t c = input.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) &&
                  target.shape() == Shape{input.shape()[0]},
              "[", op, "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.defined() ? target.shape() : Shape{});
  Tensor y = target.to(DType::i64);
  for (int64_t k : y.to_vector<int64_t>())
    LATHE_CHECK(k >= 0 && k < c, "[", op, "] target ", k, " out of range [0, ", c, ")");
  Tensor s = input;                                                     // [B, C]
  if (o.softplus_norm) {
    s = softplus(input);
    s = s / mean(s, {1}, true);
  }
  Tensor onehot = cast(one_hot(y, c), input.dtype());                   // [B, C]
  Tensor s_y = sum(s * onehot, {1}, true);                              // [B, 1]
  Tensor d = s - s_y + o.margin * (1.0 - onehot);                       // [B, C]
  Tensor loss = o.lam * (logsumexp(d / o.lam, {1}) - std::log(double(c)));   // [B]
  return apply_reduction(loss, r);
}

LATHE_REGISTER_OPS(ldr_kl_loss) {
  registry.add(OpDef("ldr_kl_loss", "robust")
                   .summary("label-distributionally robust loss with a KL regularizer (LDR-KL)")
                   .paper("Label Distributionally Robust Losses for Multi-class Classification: "
                          "Consistency, Robustness and Adaptivity")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<LdrKlLossOptions>()
                   .attr("margin", &LdrKlLossOptions::margin,
                         "c added to every k != y (class default 2; the script's 0.1)")
                   .attr("lam", &LdrKlLossOptions::lam,
                         "lambda > 0, the KL weight (class default 1; the script's 10)")
                   .attr("softplus_norm", &LdrKlLossOptions::softplus_norm,
                         "normalize softplus(h) to mean 1 per row first")
                   .attr("reduction", &LdrKlLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(ldr_kl_loss));
}

}  // namespace lathe
