// cema_sed_loss: CEMA's selective entropy distillation for cloud-edge test-time adaptation, of
// the adapted edge model's logits z_s [B, C] and the foundation model's logits z_t [B, C]:
//   H(z) = -sum_c softmax(z)_c log_softmax(z)_c,   w = exp(-(sg(H) - E_max))  (1 without E_max)
//   L = alpha mean_i(w_s H(z_s)) + beta mean_i(w_t T^2 KL(softmax(z_t/T) || softmax(z_s/T)))
//       + gamma mean_i(w_t CE(z_s, argmax z_t))
// The paper's sample exclusion (high-entropy unreliable and low-entropy low-informative samples)
// is a mask the caller applies to the batch first. A scalar over the batch (the loss declares
// its own reduction: three batch means).
// Paper: "Towards Robust and Efficient Cloud-Edge Elastic Model Adaptation via Selective Entropy
// Distillation" (CEMA, ICLR 2024) (catalog: entropy.md, confidence 'official code':
// TTADistillationLoss, codebase/criterion/distillation.py).
// Defaults: alpha = beta = gamma = 1, T = 1, E_max unset (NaN: weights 1). The catalog marks the
// configured values as unverified (E_max about 0.4 ln C in the EATA style).
// Gradient (autograd) through z_s only; the weights are detached, the teacher is a constant.
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

#include <cmath>

namespace lathe {

Tensor cema_sed_loss(const Tensor& input, const Tensor& teacher, const CemaSedLossOptions& o) {
  const char* op = "cema_sed_loss";
  check_floating(op, "input", input);
  check_floating(op, "teacher", teacher);
  check_dim(op, "input", input, 2);
  check_same_shape(op, "input", input, "teacher", teacher);
  LATHE_CHECK(o.temperature > 0, "[", op, "] temperature must be > 0, got ", o.temperature);
  Tensor zt = teacher.detach();
  Tensor log_ps = log_softmax(input, 1), log_pt = log_softmax(zt, 1);    // [B, C]
  Tensor hs = -sum(exp(log_ps) * log_ps, {1});                            // [B]
  Tensor ws = ones_like(hs), wt = ones_like(hs);
  if (!std::isnan(o.e_max)) {
    ws = exp(o.e_max - hs.detach());
    wt = exp(o.e_max + sum(exp(log_pt) * log_pt, {1}));                  // exp(-(H_t - E_max))
  }
  double t = o.temperature;
  Tensor log_ps_t = log_softmax(input / t, 1), log_pt_t = log_softmax(zt / t, 1);
  Tensor kl = sum(exp(log_pt_t) * (log_pt_t - log_ps_t), {1}) * (t * t);  // [B]
  Tensor ce = -squeeze(gather(log_ps, argmax(zt, 1, true), 1), {1});      // [B]
  return o.alpha * mean(ws * hs) + o.beta * mean(wt * kl) + o.gamma * mean(wt * ce);
}

LATHE_REGISTER_OPS(cema_sed_loss) {
  registry.add(OpDef("cema_sed_loss", "entropy")
                   .summary("CEMA selective entropy distillation: weighted entropy + T^2 KL + "
                            "CE to the foundation model's labels")
                   .paper("Towards Robust and Efficient Cloud-Edge Elastic Model Adaptation via "
                          "Selective Entropy Distillation")
                   .input("input")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<CemaSedLossOptions>()
                   .attr("alpha", &CemaSedLossOptions::alpha, "entropy weight")
                   .attr("beta", &CemaSedLossOptions::beta, "KL distillation weight")
                   .attr("gamma", &CemaSedLossOptions::gamma, "pseudo-label CE weight")
                   .attr("temperature", &CemaSedLossOptions::temperature, "KD temperature > 0")
                   .attr("e_max", &CemaSedLossOptions::e_max,
                         "entropy margin of the weights (NaN: weights 1)")
                   .own_reduction("three means over the batch")
                   .output("loss")
                   .run(cema_sed_loss));
}

}  // namespace lathe
