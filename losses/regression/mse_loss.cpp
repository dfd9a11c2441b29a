// mse_loss: (input - target)^2, reduced ('mean' default, 'sum', 'none'). PyTorch F.mse_loss.
// Paper: standard; used by "Bootstrap Masked Visual Modeling via Hard Patches Mining" among many.
// Shapes must match: lathe rejects what PyTorch only warns about (broadcasting a target).
// Gradients reach both input and target (when it requires grad). Composite.
#include "losses/losses.h"
#include "ops/prim/common.h"

namespace lathe {

Tensor mse_loss(const Tensor& input, const Tensor& target, const MseLossOptions& options) {
  check_floating("mse_loss", input);
  LATHE_CHECK(input.shape() == target.shape(), "[mse_loss] input ", input.shape(),
              " and target ", target.shape(), " must have the same shape");
  Tensor d = input - target;
  return apply_reduction(d * d, options.reduction, "mse_loss");
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
