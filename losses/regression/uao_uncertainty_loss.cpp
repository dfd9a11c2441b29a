// uao_uncertainty_loss: UAO's Laplace-style uncertainty NLL of 3D poses. Predicted joints
// J^ [..., J, 3], targets J [..., J, 3], predicted log-uncertainty s [..., J, 1]:
//   l = |J^ - J|_2 exp(-s) + s       per joint,
// reduced 'mean' over the joints (default, the reference), 'sum' or 'none' ([..., J]).
// Paper: "Uncertainty-Aware Testing-Time Optimization for 3D Human Pose Estimation" (catalog:
// regression.md; official code xiu-cs/UAO-Pose3D common/utils.py gaussian_loss, main.py). At
// test time the caller swaps the roles (pseudo ground truth and uncertainty detached, a 2D
// latent optimized, plus a projection term): a procedure.
// Defaults: reduction 'mean'.
// Gradients (autograd): dl/ds = 1 - |D| e^-s, dl/dJ^ = e^-s D / |D|; at D = 0 (the norm's kink)
// the subgradient is 0, as torch.norm's backward (a guarded square root). Targets are
// differentiated too.
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor uao_uncertainty_loss(const Tensor& input, const Tensor& target, const Tensor& log_sigma,
                            const UaoUncertaintyLossOptions& o) {
  const char* op = "uao_uncertainty_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_floating(op, "log_sigma", log_sigma);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.dim() >= 2 && input.shape().back() == 3, "[", op,
              "] input must be joints [..., J, 3], got ", input.shape());
  Shape s_shape = input.shape();
  s_shape[s_shape.size() - 1] = 1;
  LATHE_CHECK(log_sigma.shape() == s_shape, "[", op, "] log_sigma must be ", s_shape,
              ", got ", log_sigma.shape());
  Reduction r = parse_reduction(op, o.reduction);
  Tensor d = input - target;                                           // [..., J, 3]
  Tensor sq = sum(d * d, {-1});                                        // [..., J]
  Tensor pos = gt(sq, 0.0);
  Tensor norm = where(pos, sqrt(where(pos, sq, 1.0)), 0.0);            // [..., J] 0 at D = 0
  Tensor s = reshape(log_sigma, sq.shape());                           // [..., J]
  return apply_reduction(norm * exp(-s) + s, r);
}

LATHE_REGISTER_OPS(uao_uncertainty_loss) {
  registry.add(OpDef("uao_uncertainty_loss", "regression")
                   .summary("uncertainty NLL |J^ - J| exp(-s) + s of 3D joints")
                   .paper("Uncertainty-Aware Testing-Time Optimization for 3D Human Pose "
                          "Estimation")
                   .input("input")
                   .input("target")
                   .input("log_sigma")
                   .options<UaoUncertaintyLossOptions>()
                   .attr("reduction", &UaoUncertaintyLossOptions::reduction,
                         "none | mean | sum, over the joints")
                   .output("loss")
                   .run(uao_uncertainty_loss));
}

}  // namespace lathe
