// mae_norm_pix_loss: MAE's reconstruction loss, full layout. Predictions P [N, L, D] for all L
// patches, target patches T [N, L, D], mask M [N, L] (1 = removed/masked patch, 0 = kept; bool
// or 0/1 float, the same result):
//   T <- (T - mean_d T) / sqrt(var_d T + 1e-6)     with norm_pix (unbiased variance over D),
//   l[n, l] = mean_d (P - T)^2,                    loss = sum(l M) / sum(M),
// outputs `loss` [] and `matrix` = l [N, L]. The mean is over the masked patches, not over
// elements: the loss declares its own reduction.
// Paper: "Bootstrap Masked Visual Modeling via Hard Patches Mining" (HPM; catalog:
// regression.md; official code Haochen-Wang409/HPM models_mae_learn_loss.py forward_loss and
// facebookresearch/mae models_mae.py forward_loss, the full-layout form).
// NOTE: HPM's forward_loss takes the gathered layout (only the M masked patches of each row,
// the same M in every row, plain mean); scattering those predictions into the masked positions
// gives this op's inputs, the same loss and matrix = l[mask].reshape(N, M). The masked mean
// here also defines rows with different counts.
// NOTE: the catalog returns `matrix` detached (HPM feeds it to its loss predictor as a target).
// Here it keeps its graph, so that every output of a registered op has the gradient its value
// has (the gradcheck runner differentiates each floating output); its consumer detaches it:
// hpm_relative_loss takes its target as a constant, as HPM's engine_pretrain.py does.
// Defaults: norm_pix true.
// Gradient (autograd): into P only (targets and mask are data): 2 (P - T) M / (D sum(M));
// unmasked patches get 0. An all-zero mask gives 0/0 = NaN, as the reference. A constant target
// patch stays finite (the 1e-6).
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

MaeNormPixLossResult mae_norm_pix_loss(const Tensor& input, const Tensor& target,
                                       const Tensor& mask, const MaeNormPixLossOptions& o) {
  const char* op = "mae_norm_pix_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_dim(op, "input", input, 3);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(mask.defined(), "[", op, "] mask is missing");
  Shape nl{input.shape()[0], input.shape()[1]};
  LATHE_CHECK(mask.shape() == nl, "[", op, "] mask must have shape ", nl, " (N, L), got ",
              mask.shape());
  LATHE_CHECK(mask.dtype() == DType::boolean || is_floating(mask.dtype()), "[", op,
              "] mask must be bool or a 0/1 float tensor, got ", mask.dtype());
  int64_t d = input.shape()[2];
  LATHE_CHECK(!o.norm_pix || d >= 2, "[", op,
              "] norm_pix needs D >= 2 (an unbiased variance over D), got D = ", d);
  Tensor t = target.detach();
  if (o.norm_pix) {
    Tensor mu = mean(t, {2}, true);                                     // [N, L, 1]
    Tensor var = sum((t - mu) * (t - mu), {2}, true) / double(d - 1);   // [N, L, 1] unbiased
    t = (t - mu) / sqrt(var + 1e-6);                                    // [N, L, D]
  }
  Tensor diff = input - t;                                              // [N, L, D]
  Tensor per_patch = mean(diff * diff, {2});                            // [N, L]
  Tensor m = cast(mask.detach(), per_patch.dtype());                    // [N, L]
  Tensor loss = sum(per_patch * m) / sum(m);                            // []
  return {loss, per_patch};
}

LATHE_REGISTER_OPS(mae_norm_pix_loss) {
  registry.add(OpDef("mae_norm_pix_loss", "regression")
                   .summary("MAE per-patch MSE against (standardized) target patches, mean "
                            "over masked patches")
                   .paper("Bootstrap Masked Visual Modeling via Hard Patches Mining")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .input("mask", Kind::any, kNoGrad)
                   .options<MaeNormPixLossOptions>()
                   .attr("norm_pix", &MaeNormPixLossOptions::norm_pix,
                         "standardize each target patch over D (unbiased variance + 1e-6)")
                   .own_reduction("mean over the masked patches (sum(l mask) / sum(mask))")
                   .output("loss")
                   .output("matrix")
                   .run([](const OpCall& c) {
                     MaeNormPixLossResult r = mae_norm_pix_loss(
                         c.in("input"), c.in("target"), c.in("mask"),
                         c.options<MaeNormPixLossOptions>());
                     return Outputs{r.loss, r.matrix};
                   }));
}

}  // namespace lathe
