// kl_div: pointwise l = t (log t - x) for log-probabilities x and probabilities t of the same
// shape (0 where t = 0, as xlogy), or l = exp(t) (t - x) when log_target (t holds
// log-probabilities), PyTorch's F.kl_div. Reduction 'mean' (default: over every element, which
// is not the KL divergence of rows), 'sum', 'none', or 'batchmean': the sum divided by the
// batch size input.shape[0] (the divergence per sample; the sum for a 0-d input).
// Source: torch.nn.functional.kl_div (PyTorch 1.13), not in the catalog (issue 17 parity).
// Defaults: reduction 'mean', log_target false.
// Decision: 'batchmean' stays a value of `reduction`, as PyTorch spells it, so the op declares
// .own_reduction; its 'none' still sums to 'sum' (tests/losses/parity_test.cpp checks).
// Gradients (autograd): dl/dx = -t (or -exp(t)); dl/dt = log t + 1 - x (or exp(t)(t - x + 1)).
// The target is differentiable, as in PyTorch. At t = 0 the value is 0 and the t log t term
// adds nothing to the target's gradient, which is -x there (PyTorch's xlogy gives NaN).
// Composite.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor kl_div(const Tensor& input, const Tensor& target, const KlDivOptions& o) {
  const char* op = "kl_div";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  bool batchmean = o.reduction == "batchmean";
  Reduction reduction = batchmean ? Reduction::sum : parse_reduction(op, o.reduction);
  Tensor loss;
  if (o.log_target) {
    loss = exp(target) * (target - input);
  } else {
    Tensor positive = gt(target, 0.0);
    Tensor safe = where(positive, target, scalar_like(1.0, target));     // log(1) = 0 at t <= 0
    loss = target * log(safe) - target * input;                          // xlogy(t, t) - t x
  }
  Tensor reduced = apply_reduction(loss, reduction);
  if (batchmean && input.dim() > 0) reduced = reduced / static_cast<double>(input.shape()[0]);
  return reduced;
}

LATHE_REGISTER_OPS(kl_div) {
  registry.add(OpDef("kl_div", "classification")
                   .summary("pointwise KL divergence of log-probabilities from a target "
                            "(F.kl_div)")
                   .paper("torch.nn.functional.kl_div (PyTorch parity)")
                   .input("input")
                   .input("target")
                   .options<KlDivOptions>()
                   .attr("reduction", &KlDivOptions::reduction,
                         "none | mean (every element) | sum | batchmean (sum / batch size)")
                   .attr("log_target", &KlDivOptions::log_target,
                         "the target holds log-probabilities")
                   .own_reduction("'batchmean' (PyTorch's spelling): the sum over the batch "
                                  "size, the KL divergence per sample")
                   .output("loss")
                   .run(kl_div));
}

}  // namespace lathe
