// Test cases for losses/regularizer/sae_aux_k_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sae_aux_k_loss) {
  using lathe::DType;
  // B 4, N 6, dead_tokens 40: a latent is dead past 10 idle steps. Latent 1 (counter 50) is
  // active this step, so it resets; latents 2 and 4 stay dead. pre's dead entries keep away
  // from relu's kink at 0.
  add(Case("sae_aux_k_loss").normal("x", {4, 3}).normal("x_hat", {4, 3})
          .values("pre", {4, 6}, {0.3, -1.2, 0.8, 0.5, -0.6, 1.1, -0.4, 0.9, 1.5, -0.2, 0.7, 0.1,
                                  0.6, 0.2, -0.9, 1.3, 0.4, -0.7, 1.0, -0.5, 0.35, 0.8, 1.2, 0.2})
          .normal("w_dec", {3, 6})
          .values("main_idx", {4, 2}, {0, 1, 5, 3, 0, 3, 1, 5}, DType::i64)
          .values("main_vals", {4, 2}, {0.5, 0.0005, 0.3, 0.2, 0.9, 0.4, 0.8, 0.1})
          .values("counter", {6}, {0, 50, 100, 3, 200, 0}).attr("k_aux", 3)
          .attr("dead_tokens", 40)
          .note("two dead latents, k_aux 3 > 2 (a zero entry selected), one dead row negative"));
  add(Case("sae_aux_k_loss", "no_dead").normal("x", {2, 2}).normal("x_hat", {2, 2})
          .normal("pre", {2, 3}).normal("w_dec", {2, 3})
          .values("main_idx", {2, 1}, {0, 2}, DType::i64).values("main_vals", {2, 1}, {1.0, 1.0})
          .values("counter", {3}, {0, 1, 2}).attr("k_aux", 2)
          .note("no dead latent: e_hat = 0, the loss is mean(e^2) / var(e)"));
}
