// The rl_alignment family of the loss catalog (catalog: rl_alignment.md) and the
// preference-optimization losses of LLM trainers (DPO, SimPO, ORPO, CPO, KTO; not in the
// catalog), each defined in losses/rl/<name>.cpp. The catalog's procedures
// (kl_regularized_reward_objective, weight_soup, the dynamic anchor's refresh) are plain
// functions declared in losses/rl/procedures.h.
//
// Preference losses take per-sequence log-probabilities log pi(y|x) [B] of the chosen and the
// rejected completion (summed over completion tokens, or token-averaged where the method
// says so: SimPO, ORPO, IPO), and the frozen reference model's, which are detached here.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct DpoLossOptions {
  double beta = 0.1;                // temperature of the implicit reward beta log(pi / pi_ref)
  double label_smoothing = 0.0;     // conservative DPO: the label-flip probability (sigmoid)
  std::string loss_type = "sigmoid";  // sigmoid | hinge | ipo
  bool reference_free = false;      // true: the reference log-ratio is taken as 0
  std::string reduction = "mean";   // none | mean | sum over pairs
};

// DPO on policy and reference log-probabilities [B] of chosen and rejected completions
// (losses/rl/dpo_loss.cpp).
Tensor dpo_loss(const Tensor& policy_chosen_logps, const Tensor& policy_rejected_logps,
                const Tensor& reference_chosen_logps, const Tensor& reference_rejected_logps,
                const DpoLossOptions& options = {});

struct SimpoLossOptions {
  double beta = 2.0;                // reward scale on the length-normalized log-probabilities
  double gamma_beta_ratio = 0.25;   // target reward margin gamma / beta
  double label_smoothing = 0.0;
  std::string loss_type = "sigmoid";  // sigmoid | hinge
  std::string reduction = "mean";   // none | mean | sum over pairs
};

// SimPO (reference-free, length-normalized) on average per-token log-probabilities [B]
// (losses/rl/simpo_loss.cpp).
Tensor simpo_loss(const Tensor& policy_chosen_logps, const Tensor& policy_rejected_logps,
                  const SimpoLossOptions& options = {});

struct OrpoLossOptions {
  double beta = 0.1;               // lambda, the weight of the odds-ratio term
  Tensor chosen_nll;               // optional [B] or []: the SFT NLL of the chosen completion
  std::string reduction = "mean";  // none | mean | sum over pairs
};

// ORPO: NLL(chosen) - beta log sigmoid(log odds(chosen) - log odds(rejected)) on average
// per-token log-probabilities [B] (< 0) (losses/rl/orpo_loss.cpp).
Tensor orpo_loss(const Tensor& policy_chosen_logps, const Tensor& policy_rejected_logps,
                 const OrpoLossOptions& options = {});

struct CpoLossOptions {
  double beta = 0.1;
  double label_smoothing = 0.0;
  std::string loss_type = "sigmoid";  // sigmoid | hinge | ipo
  double cpo_alpha = 1.0;           // weight of the NLL (behaviour cloning) term
  Tensor chosen_nll;                // optional [B] or []: the NLL of the chosen completion
  std::string reduction = "mean";   // none | mean | sum over pairs
};

// CPO: the reference-free DPO loss of the policy log-ratio plus cpo_alpha NLL(chosen)
// (losses/rl/cpo_loss.cpp).
Tensor cpo_loss(const Tensor& policy_chosen_logps, const Tensor& policy_rejected_logps,
                const CpoLossOptions& options = {});

struct KtoLossOptions {
  double beta = 0.1;
  double desirable_weight = 1.0;    // lambda_D
  double undesirable_weight = 1.0;  // lambda_U
  Tensor policy_kl_logps;           // optional [K]: mismatched (x, y') pairs, no gradient
  Tensor reference_kl_logps;        // optional [K]; both or neither (neither: z_ref = 0)
  std::string reduction = "mean";   // none | mean | sum over the Bc + Br examples
};

// KTO on unpaired desirable ("chosen", [Bc]) and undesirable ("rejected", [Br]) completions
// (losses/rl/kto_loss.cpp).
Tensor kto_loss(const Tensor& policy_chosen_logps, const Tensor& policy_rejected_logps,
                const Tensor& reference_chosen_logps, const Tensor& reference_rejected_logps,
                const KtoLossOptions& options = {});

struct PcpgLossOptions {
  std::string reduction = "mean";  // none | mean | sum over samples (time is summed)
};

// Pseudo-convolutional policy gradient -sum_t (K * r)_t (K * log pi)_t of per-step
// log-likelihoods logp [B, T] and rewards [B, T] (no gradient), smoothed by a fixed odd kernel
// [W] (losses/rl/pcpg_loss.cpp).
Tensor pcpg_loss(const Tensor& logp, const Tensor& rewards, const Tensor& kernel,
                 const PcpgLossOptions& options = {});

struct MartingaleLossOptions {
  double dt = 0.0;                 // time step of the discretization (required, > 0)
  std::string reduction = "mean";  // none | mean | sum over trajectories
};

// Martingale loss 1/2 sum_i (h(X_T) + sum_{j>=i} r_j dt - J_i)^2 dt of value estimates
// J [B, K], running rewards r [B, K] and terminal rewards h_T [B] (losses/rl/martingale_loss.cpp).
Tensor martingale_loss(const Tensor& J, const Tensor& r, const Tensor& h_T,
                       const MartingaleLossOptions& options = {});

struct DynamicAnchorKlOptions {
  double beta = 0.01;  // KL coefficient
  int64_t every = 100; // the anchor is reset to the policy every `every` steps (>= 1)
  Tensor mask;         // optional [B, T] response mask (bool); all tokens when undefined
};

// The loss and the step counter after this call.
struct DynamicAnchorKlResult {
  Tensor loss, step;
};

// beta times the masked token mean of KL(pi || pi_anchor) over the vocabulary, of policy
// logits [B, T, V] and anchor logits [B, T, V] (no gradient); `step` (i64 []) is the state:
// on a refresh step (step % every == 0) the anchor is the current policy (the KL is 0) and
// the caller resets its anchor model (procedures.h, DynamicAnchor)
// (losses/rl/dynamic_anchor_kl.cpp).
DynamicAnchorKlResult dynamic_anchor_kl(const Tensor& logits, const Tensor& anchor_logits,
                                        const Tensor& step,
                                        const DynamicAnchorKlOptions& options = {});

struct SuperhfLossOptions {
  double beta = 0.35;   // KL coefficient (the experiments' default)
  double inv_c = 0.0;   // > 0: the inverse-loss regularizer CE + inv_c / CE
  Tensor mask;          // optional [B, T] completion mask (bool); all tokens when undefined
};

// SuperHF's fine-tuning loss: token-mean CE of labels [B, T] (int) under policy logits
// [B, T, V] plus beta sum_b max(KL_b(prior || policy), 0) with prior logits [B, T, V]
// (no gradient) (losses/rl/superhf_loss.cpp).
Tensor superhf_loss(const Tensor& logits, const Tensor& prior_logits, const Tensor& labels,
                    const SuperhfLossOptions& options = {});

struct KdrlObjectiveOptions {
  double beta = 5e-3;       // KD coefficient (annealed to 1e-3 by the caller)
  double clip = 0.2;        // PPO clip range epsilon
  std::string k = "k2";     // reverse-KL estimator: k2 | k3
  Tensor mask;              // optional [B, T] response mask (bool)
};

// KDRL: -(GRPO clipped surrogate - beta KD estimator), masked token mean, of policy, old and
// teacher token log-probabilities [B, T], rewards [B] and group ids [B] (int)
// (losses/rl/kdrl_objective.cpp).
Tensor kdrl_objective(const Tensor& logp, const Tensor& logp_old, const Tensor& logp_teacher,
                      const Tensor& rewards, const Tensor& group,
                      const KdrlObjectiveOptions& options = {});

}  // namespace lathe
