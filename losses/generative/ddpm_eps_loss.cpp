// ddpm_eps_loss: Noise-DA's noise-space loss. A diffusion denoiser eps_phi, conditioned on the
// channel-concatenated restorations, predicts the noise eps of y_gamma = sqrt(gamma) y +
// sqrt(1 - gamma) eps; with the positive prediction eps^ = input and the target noise eps:
//   diff_flag 2 (no negative):  L = MSE(eps^, eps)
//   diff_flag 1 (negative eps^- from the swapped residuals):
//     L = (MSE(eps^, eps) + relu(MSE(eps^, eps) - MSE(eps^-, eps) + margin)) / 2,
// MSE the element mean (F.mse_loss). A scalar: the triplet term couples the two means (its own
// reduction). The total objective alpha(epoch) L + Charbonnier(y, y^_syn) is the caller's;
// noise_da_alpha gives alpha = (2 / (1 + e^{-5p}) - 1) diff_weight, p = min(epoch / ctrl, 1).
// Paper: "Denoising as Adaptation: Noise-Space Domain Adaptation for Image Restoration" (Liao
// et al.; catalog: generative.md, official code KangLiao929/Noise-DA models/network.py
// Network.forward diff_flag 1 and 2, models/loss.py TripletMarginLoss, models/model.py
// train_step, Denoising/configs/options_train.json: linear beta 1e-6..0.01 over T = 1000,
// margin 0.1, diff_weight 0.2). The noise, gamma and the per-sample channel shuffle are drawn
// by the caller.
// Gradients (autograd) to both predictions and the target noise; the hinge is a kink at
// MSE(eps^, eps) - MSE(eps^-, eps) = -margin (identical predictions give margin / 2 + MSE / 2).
// Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

#include <algorithm>
#include <cmath>

namespace lathe {

double noise_da_alpha(double epoch, double ctrl_epoch, double diff_weight) {
  LATHE_CHECK(ctrl_epoch > 0, "[noise_da_alpha] ctrl_epoch must be > 0, got ", ctrl_epoch);
  double p = std::min(epoch / ctrl_epoch, 1.0);
  return (2.0 / (1.0 + std::exp(-5.0 * p)) - 1.0) * diff_weight;
}

Tensor ddpm_eps_loss(const Tensor& input, const Tensor& target, const DdpmEpsLossOptions& o) {
  const char* op = "ddpm_eps_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Tensor d = input - target;
  Tensor pos = mean(d * d);                                               // []
  if (!o.negative.defined()) return pos;
  check_floating(op, "negative", o.negative);
  check_same_shape(op, "input", input, "negative", o.negative);
  Tensor dn = o.negative - target;
  Tensor neg = mean(dn * dn);                                             // []
  return 0.5 * (pos + relu(pos - neg + o.margin));
}

LATHE_REGISTER_OPS(ddpm_eps_loss) {
  registry.add(OpDef("ddpm_eps_loss", "generative")
                   .summary("Noise-DA noise-space loss MSE(eps^, eps), with a negative the "
                            "margin-triplet form")
                   .paper("Denoising as Adaptation: Noise-Space Domain Adaptation for Image "
                          "Restoration")
                   .input("input")
                   .input("target")
                   .options<DdpmEpsLossOptions>()
                   .input("negative", &DdpmEpsLossOptions::negative, Kind::floating, kOptional)
                   .attr("margin", &DdpmEpsLossOptions::margin, "triplet margin (diff_flag 1)")
                   .own_reduction("a scalar: element means joined by the triplet hinge")
                   .output("loss")
                   .run(ddpm_eps_loss));
}

}  // namespace lathe
