// token_entropy_bonus: the token-level entropy bonus of an RL policy-gradient objective, on
// policy logits z [B, T, V] (vocabulary last) with a response mask M [B, T] (bool):
//   H_bt = -sum_v pi_btv log pi_btv,   L = -alpha sum_bt M_bt H_bt / sum M
// added to the policy loss (minimizing L raises the entropy). A masked token mean (the loss
// declares its own reduction); without a mask every token counts.
// Paper: "Advancing Language Model Reasoning through Reinforcement Learning and Inference
// Scaling" (T1) (catalog: entropy.md, confidence 'memory').
// Checked (search of stored pages, Dec 2026): the arXiv abstract (2501.11651v1) says only "we
// further employ an entropy bonus as an auxiliary loss, alongside a dynamic anchor for
// regularization"; the ICML version's abstract drops the sentence, and THUDM/T1 holds a README
// and no training code. The coefficient, the averaging (per token here, the common choice) and
// the sign convention inside the trainer were not recovered: this is the standard form.
// Defaults: alpha 1e-3 (typical; the paper's value unknown). An all-false mask gives 0 (the
// count is clamped at 1) instead of the 0 / 0 of the formula.
// Gradient (autograd) from log_softmax: dH/dz_v = -pi_v (log pi_v + H), finite for one-hot
// logits.
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

Tensor token_entropy_bonus(const Tensor& input, const TokenEntropyBonusOptions& o) {
  const char* op = "token_entropy_bonus";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 3);
  Shape bt{input.shape()[0], input.shape()[1]};
  Tensor log_p = log_softmax(input, -1);                                  // [B, T, V]
  Tensor h = -sum(exp(log_p) * log_p, {-1});                              // [B, T]
  if (!o.mask.defined()) return -o.alpha * mean(h);
  LATHE_CHECK(o.mask.dtype() == DType::boolean && o.mask.shape() == bt, "[", op,
              "] mask must be bool ", bt, ", got ", o.mask.dtype(), " ", o.mask.shape());
  Tensor m = cast(o.mask, h.dtype());                                     // [B, T]
  return -o.alpha * sum(h * m) / clamp(sum(m), 1.0);
}

LATHE_REGISTER_OPS(token_entropy_bonus) {
  registry.add(OpDef("token_entropy_bonus", "entropy")
                   .summary("-alpha times the masked token mean of the policy entropy "
                            "(entropy bonus)")
                   .paper("Advancing Language Model Reasoning through Reinforcement Learning "
                          "and Inference Scaling")
                   .input("input")
                   .options<TokenEntropyBonusOptions>()
                   .input("mask", &TokenEntropyBonusOptions::mask, Kind::boolean, kOptional)
                   .attr("alpha", &TokenEntropyBonusOptions::alpha, "bonus coefficient")
                   .own_reduction("a masked mean over response tokens")
                   .output("loss")
                   .run(token_entropy_bonus));
}

}  // namespace lathe
