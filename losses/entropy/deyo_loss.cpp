// deyo_loss: the adaptation loss of DeYO (Destroy Your Object), of logits z [B, C] and the
// logits z' [B, C] of object-destroying transforms of the same images (patch shuffling, the
// caller's data step, computed without gradient):
//   Ent_i = H(softmax(z_i));  S1 = {i : Ent_i < tau_ent ln C}
//   PLPD_i = softmax(z_i)_y - softmax(z'_i)_y,  y = argmax z_i;  S2 = {i in S1 : PLPD_i > tau_plpd}
//   alpha_i = exp(-(sg(Ent_i) - ent0 ln C)) + exp(sg(PLPD_i))   (either term 0 when switched
//   off; alpha 1 when both are)
//   L = mean_{i in S2} alpha_i Ent_i
// A scalar over the selected samples (the loss declares its own reduction).
// Paper: "Entropy is not Enough for Test-Time Adaptation: From the Perspective of Disentangled
// Factors" (DeYO, ICLR 2024) (catalog: entropy.md, confidence 'official code': Jhyun17/DeYO
// methods/deyo.py forward_and_adapt_deyo, main.py, exp_deyo.sh).
// Defaults: tau_ent 0.5, ent0 0.4, tau_plpd 0.2 (0.3 in the mild ImageNet-C script), both
// reweightings on. Only the norm layers' affine parameters are adapted (the caller's).
// Decision: an empty S1 or S2 gives 0 (the count is clamped at 1) where the reference skips the
// update; the zero loss with its graph leaves every gradient 0, the same step.
// Gradient (autograd) only through Ent_i of the selected samples; the weights, PLPD and the
// selection are constants.
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

#include <cmath>

namespace lathe {

Tensor deyo_loss(const Tensor& input, const Tensor& destroyed, const DeyoLossOptions& o) {
  const char* op = "deyo_loss";
  check_floating(op, "input", input);
  check_floating(op, "destroyed", destroyed);
  check_dim(op, "input", input, 2);
  check_same_shape(op, "input", input, "destroyed", destroyed);
  double log_c = std::log(static_cast<double>(input.shape()[1]));
  Tensor log_p = log_softmax(input, 1), p = exp(log_p);                   // [B, C]
  Tensor ent = -sum(p * log_p, {1});                                      // [B]
  Tensor y = argmax(input, 1, true);                                      // [B, 1]
  Tensor pd = softmax(destroyed.detach(), 1);
  Tensor plpd = squeeze(gather(p, y, 1) - gather(pd, y, 1), {1}).detach();  // [B]
  Tensor ent_c = ent.detach();
  Tensor keep = cast(logical_and(lt(ent_c, o.tau_ent * log_c), gt(plpd, o.tau_plpd)),
                     ent.dtype());                                        // [B]
  Tensor alpha = zeros_like(ent_c);
  if (o.reweight_ent) alpha = alpha + exp(o.ent0 * log_c - ent_c);
  if (o.reweight_plpd) alpha = alpha + exp(plpd);
  if (!o.reweight_ent && !o.reweight_plpd) alpha = ones_like(ent_c);
  return sum(keep * alpha * ent) / clamp(sum(keep), 1.0);
}

LATHE_REGISTER_OPS(deyo_loss) {
  registry.add(OpDef("deyo_loss", "entropy")
                   .summary("DeYO: entropy of the samples passing the entropy and PLPD filters, "
                            "reweighted")
                   .paper("Entropy is not Enough for Test-Time Adaptation: From the Perspective "
                          "of Disentangled Factors")
                   .input("input")
                   .input("destroyed", Kind::floating, kNoGrad)
                   .options<DeyoLossOptions>()
                   .attr("tau_ent", &DeyoLossOptions::tau_ent, "entropy filter, times ln C")
                   .attr("ent0", &DeyoLossOptions::ent0, "entropy weight margin, times ln C")
                   .attr("tau_plpd", &DeyoLossOptions::tau_plpd, "PLPD filter")
                   .attr("reweight_ent", &DeyoLossOptions::reweight_ent,
                         "weight exp(-(Ent - Ent_0))")
                   .attr("reweight_plpd", &DeyoLossOptions::reweight_plpd, "weight exp(PLPD)")
                   .own_reduction("a mean over the selected samples")
                   .output("loss")
                   .run(deyo_loss));
}

}  // namespace lathe
