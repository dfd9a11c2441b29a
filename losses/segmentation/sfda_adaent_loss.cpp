// sfda_adaent_loss: AdaEnt, the prior-aware entropy minimization of source-free domain
// adaptation, for softmax probabilities P [B, C, spatial...], prior class proportions tau
// [B, C] (size bounds divided by the pixel count) and class weights w [C] (both constants):
//   entropy = -sum_{b,c,x} w_c P log(P + 1e-10) / (sum P + 1e-10)   (sum P is the pixel count:
//             the class-weighted mean pixel entropy)
//   r_bc    = sum_x (P / (max_c P + 1e-10))^k,  tau_hat_bc = r_bc / (sum_c r_bc + 1e-10)
//             (norm_soft_size with power k)
//   kl      = (1/B) sum_{b,c} tau_hat (log(tau_hat + 1e-10) - log(tau + 1e-10))  = KL(tau_hat
//             || tau), the estimate first
//   loss    = lam_se entropy + lam_prior kl; the two terms are returned as well, as the
//             reference returns them separately.
// Paper: "Source-Free Domain Adaptation for Image Segmentation" (Bateson et al.) (catalog:
// segmentation.md; mathilde-b/SFDA losses.py EntKLProp, utils.py norm_soft_size).
// Defaults: k 1, lam_se = lam_prior = 1; the prostate runs use w = [0.1, 0.9].
// Checked against SFDA's losses.py: EntKLProp's prior term is -sum tau_hat log(tau + 1e-10)
// + sum tau_hat log(tau_hat + 1e-10), over B, with tau = bounds / (w h) from the caller (some
// forks of the code use the cross-entropy -sum tau log tau_hat instead; lathe follows SFDA).
// Gradients (autograd): the max over classes routes its gradient to the arg-max class (ties
// share it, where PyTorch gives it to one index: keep test points away from ties).
// Composite; scalars (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

SfdaAdaentLossResult sfda_adaent_loss(const Tensor& input, const Tensor& prior,
                                      const Tensor& weight, const SfdaAdaentLossOptions& o) {
  const char* op = "sfda_adaent_loss";
  seg::check_dense(op, "input", input);
  int64_t b = input.shape()[0], c = input.shape()[1];
  check_shape(op, "prior", prior, {b, c});
  check_shape(op, "weight", weight, {c});
  LATHE_CHECK(o.power > 0.0, "[", op, "] power must be > 0, got ", o.power);
  seg::check_probabilities(op, "input", input);
  seg::check_probabilities(op, "prior", prior);
  Shape wshape(std::vector<int64_t>(static_cast<size_t>(input.dim()), 1));
  wshape[1] = c;
  Tensor w = reshape(weight.detach(), wshape);                              // [1, C, 1...]
  Tensor ent = -sum(input * w * log(input + 1e-10)) / (sum(input) + 1e-10);
  Tensor ratio = input / (max(input, {1}, true) + 1e-10);                   // [B, C, ...]
  if (o.power != 1.0) ratio = pow(ratio, o.power);
  Tensor r = sum(ratio, seg::spatial_axes(input));                          // [B, C]
  Tensor est = r / (sum(r, {1}, true) + 1e-10);                             // [B, C]
  Tensor kl = sum(est * (log(est + 1e-10) - log(prior.detach() + 1e-10))) / static_cast<double>(b);
  return {o.lam_se * ent + o.lam_prior * kl, ent, kl};
}

LATHE_REGISTER_OPS(sfda_adaent_loss) {
  using O = SfdaAdaentLossOptions;
  registry.add(OpDef("sfda_adaent_loss", "segmentation")
                   .summary("AdaEnt: weighted self-entropy plus KL(estimated sizes || prior)")
                   .paper("Source-Free Domain Adaptation for Image Segmentation")
                   .input("input")
                   .input("prior", Kind::floating, kNoGrad)
                   .input("weight", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("power", &O::power, "k of norm_soft_size")
                   .attr("lam_se", &O::lam_se, "weight of the self-entropy")
                   .attr("lam_prior", &O::lam_prior, "weight of the prior KL")
                   .own_reduction("scalars: a pixel-count mean and a batch mean")
                   .output("loss")
                   .output("entropy")
                   .output("kl")
                   .run([](const OpCall& c) {
                     SfdaAdaentLossResult r = sfda_adaent_loss(
                         c.in("input"), c.in("prior"), c.in("weight"), c.options<O>());
                     return Outputs{r.loss, r.entropy, r.kl};
                   }));
}

}  // namespace lathe
