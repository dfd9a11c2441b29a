// l1_loss: |input - target|, reduced ('mean' default, 'sum', 'none'). PyTorch F.l1_loss.
// Paper: standard; used by "KV Prediction for Improved Time to First Token" among many.
// Subgradient 0 where input == target (sign(0) = 0, PyTorch's convention). Shapes must match.
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossOptions& options) {
  check_floating("l1_loss", input);
  check_same_shape("l1_loss", "input", input, "target", target);
  Reduction r = parse_reduction("l1_loss", options.reduction);
  return apply_reduction(abs(input - target), r);
}

LATHE_REGISTER_OPS(l1_loss) {
  registry.add(OpDef("l1_loss", "regression")
                   .summary("absolute error |input - target|, reduced")
                   .paper("standard (F.l1_loss)")
                   .input("input")
                   .input("target")
                   .options<L1LossOptions>()
                   .attr("reduction", &L1LossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(l1_loss));
}

}  // namespace lathe
