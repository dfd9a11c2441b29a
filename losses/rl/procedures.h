// The rl_alignment catalog entries that are procedures, not ops (catalog: rl_alignment.md):
//   kl_regularized_reward_objective -> kl_regularized_rewards() (+ AdaptiveKlController)
//   weight_soup                     -> weight_soup()
//   dynamic_anchor_kl's refresh     -> DynamicAnchor (owns the op's step state)
// The loss parts of superhf_loss and kdrl_objective are registered ops (rl.h); their sampling
// and filtering loops belong to the caller. Defined in losses/rl/procedures.cpp.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"
#include "losses/rl/rl.h"
#include "models/module.h"

namespace lathe::rl {

struct KlRewardOptions {
  double beta = 0.2;               // KL coefficient (the TRL port's initial value)
  std::string kl_penalty = "kl";   // kl (k1) | abs | mse (k2, 1/2 d^2) | full
  Tensor logits, ref_logits;       // [B, T, V], kl_penalty 'full' only: the exact KL(pi || pi0)
};

// KL-regularized reward shaping of "RL with KL penalties is better viewed as Bayesian
// inference" (Korbak, Perez, Buckley, 2022), as TRL's classic PPOTrainer.compute_rewards: per
// token r_t = -beta k(log pi_t - log pi0_t) on the response mask [B, T] (bool), plus the
// sequence score [B] at each row's last valid token. Token log-probs logp, logp_ref [B, T].
// Returns detached rewards [B, T] (0 at masked positions; a row with no valid token gets none).
Tensor kl_regularized_rewards(const Tensor& logp, const Tensor& logp_ref, const Tensor& score,
                              const Tensor& mask, const KlRewardOptions& options = {});

// TRL's AdaptiveKLController (Ziegler et al.): beta <- beta (1 + clip(KL / target - 1, -0.2,
// 0.2) n_steps / horizon).
struct AdaptiveKlController {
  double value = 0.2;
  double target = 6.0;
  double horizon = 10000.0;
  void update(double current_kl, int64_t n_steps);
};

// Weight soup (SALSA, "Soup-based Alignment Learning for Stronger Adaptation in RLHF"):
// sum_i w_i theta_i over state dicts with the same keys and shapes; weights default to uniform
// (1/n each; SALSA's reference is the two-model midpoint). Floating tensors are averaged in
// their dtype; integer and bool buffers are copied from the first dict. Not differentiable.
nn::StateDict weight_soup(const std::vector<nn::StateDict>& state_dicts,
                          const std::vector<double>& weights = {});

// The dynamic anchor of T1: owns dynamic_anchor_kl's step state and, on each refresh step,
// copies the policy's parameters and buffers into the anchor module (same architecture).
//   DynamicAnchorKlOptions o;  o.every = 50;
//   DynamicAnchor da(policy, anchor, o);
//   Tensor kl = da.loss(policy(x), anchor_logits_under_no_grad, mask);
class DynamicAnchor {
 public:
  DynamicAnchor(nn::Module& policy, nn::Module& anchor, DynamicAnchorKlOptions options = {});
  // Runs dynamic_anchor_kl with the current step (mask: optional [B, T] bool), refreshes the
  // anchor when the step is a refresh step, and advances the step.
  Tensor loss(const Tensor& logits, const Tensor& anchor_logits, const Tensor& mask = Tensor());
  int64_t step() const { return static_cast<int64_t>(step_.item()); }
  // {"step"}: resume with load_state_dict (checkpoint the anchor module alongside).
  nn::StateDict state_dict() const;
  void load_state_dict(const nn::StateDict& state);

 private:
  nn::Module& policy_;
  nn::Module& anchor_;
  DynamicAnchorKlOptions options_;
  Tensor step_;  // f64 []
};

}  // namespace lathe::rl
