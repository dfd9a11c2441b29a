// mse_loss: (input - target)^2, reduced ('mean' default, 'sum', 'none'). PyTorch F.mse_loss.
// Paper: standard; used by "Bootstrap Masked Visual Modeling via Hard Patches Mining" among many.
// Shapes must match: lathe rejects what PyTorch only warns about (broadcasting a target).
// Gradients reach both input and target (when it requires grad). Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor mse_loss(const Tensor& input, const Tensor& target, const MseLossOptions& options) {
  check_floating("mse_loss", input);
  check_same_shape("mse_loss", "input", input, "target", target);
  Reduction r = parse_reduction("mse_loss", options.reduction);
  Tensor d = input - target;
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(mse_loss) {
  registry.add(OpDef("mse_loss", "regression")
                   .summary("squared error (input - target)^2, reduced")
                   .paper("standard (F.mse_loss)")
                   .input("input")
                   .input("target")
                   .options<MseLossOptions>()
                   .attr("reduction", &MseLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(mse_loss));
}

}  // namespace lathe
