// binary_cross_entropy: l = -w (t log x + (1 - t) log(1 - x)) for probabilities x in [0, 1] and
// targets t in [0, 1] of the same shape, each log clamped at -100 (PyTorch's
// F.binary_cross_entropy, so x = 0 or 1 gives a finite 100 rather than inf). An optional weight
// w broadcasts to x. Reduction 'mean' (over every element, default), 'sum' or 'none'.
// Source: torch.nn.functional.binary_cross_entropy (PyTorch 1.13), not in the catalog (issue 17
// parity). Defaults: no weight, reduction 'mean'.
// Gradients (autograd): dl/dx = w ((1 - t) / (1 - x) - t / x), dl/dt = w (log(1 - x) - log x)
// (the target is differentiable, as in PyTorch 1.13). Where a log is clamped its term is
// constant, so its gradient is 0.
// NOTE: PyTorch's backward is w (x - t) / max(x (1 - x), 1e-12): where x (1 - x) < 1e-12 (x
// within 1e-12 of 0 or 1, or exactly there) it is not the derivative, but +-1e12-sized or 0.
// lathe gives the derivative of the clamped formula (for x = 0: w (1 - t)), finite and
// continuous from inside (0, 1); elsewhere the two agree (values agree everywhere).
// tests/losses/parity_test.cpp checks the clamped values.
// The input range is checked on the host ("[binary_cross_entropy] input must lie in [0, 1]"),
// as PyTorch checks it in its kernel. Composite.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// max(log(p), -100) with a finite gradient at p = 0: the clamped branch is a constant.
Tensor clamped_log(const Tensor& p) {
  Tensor positive = gt(p, 0.0);
  Tensor safe = where(positive, p, scalar_like(1.0, p));
  return where(positive, clamp(log(safe), -100.0), scalar_like(-100.0, p));
}
}  // namespace

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BinaryCrossEntropyOptions& o) {
  const char* op = "binary_cross_entropy";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  if (o.weight.defined()) {
    check_floating(op, "weight", o.weight);
    LATHE_CHECK(broadcast_shapes(o.weight.shape(), input.shape(), op) == input.shape(), "[", op,
                "] weight ", o.weight.shape(), " must broadcast to the input ", input.shape());
  }
  if (input.numel() > 0) {
    NoGradGuard no_grad;
    double lo = min(input.detach()).item(), hi = max(input.detach()).item();
    LATHE_CHECK(lo >= 0.0 && hi <= 1.0, "[", op, "] input must lie in [0, 1] (probabilities), "
                "got values in [", lo, ", ", hi, "]");
  }
  Tensor loss = -(target * clamped_log(input) + (1.0 - target) * clamped_log(1.0 - input));
  if (o.weight.defined()) loss = loss * o.weight.detach();
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(binary_cross_entropy) {
  registry.add(OpDef("binary_cross_entropy", "classification")
                   .summary("binary cross-entropy of probabilities, logs clamped at -100 "
                            "(F.binary_cross_entropy)")
                   .paper("torch.nn.functional.binary_cross_entropy (PyTorch parity)")
                   .input("input")
                   .input("target")
                   .options<BinaryCrossEntropyOptions>()
                   .input("weight", &BinaryCrossEntropyOptions::weight, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("reduction", &BinaryCrossEntropyOptions::reduction,
                         "none | mean | sum")
                   .output("loss")
                   .run(binary_cross_entropy));
}

}  // namespace lathe
