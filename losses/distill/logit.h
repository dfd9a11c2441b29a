// Logit-based distillation objectives beyond kd_kl_loss (catalog: distillation.md, and the
// standard set of mdistiller / torchdistill / TRL): DKD and the LLM token-level divergences.
// Each takes (student, teacher, options) and detaches the teacher itself; each is defined in
// losses/distill/<name>.cpp.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct DkdOptions {
  Tensor target;            // [B] class indices (required)
  double alpha = 1.0;       // weight of TCKD (target vs rest)
  double beta = 8.0;        // weight of NCKD (among the non-target classes)
  double temperature = 4.0;
};

// Decoupled knowledge distillation, alpha TCKD + beta NCKD (losses/distill/dkd_loss.cpp).
Tensor dkd_loss(const Tensor& student, const Tensor& teacher, const DkdOptions& options = {});

// The options of the token-level divergences: logits [..., V], optional labels [...] whose
// ignore_index tokens contribute nothing; 'mean' averages over the kept tokens.
struct TokenKdOptions {
  Tensor labels;                  // [...] token labels, only to mark ignored tokens
  double temperature = 1.0;       // both logits are divided by it; no T^2 factor
  int64_t ignore_index = -100;
  std::string reduction = "mean"; // none | mean (over kept tokens) | sum
  double beta = 0.5;              // generalized_jsd_loss only: 0 forward KL, 1 reverse KL
};

// KL(p_teacher || p_student) per token (losses/distill/forward_kl_loss.cpp).
Tensor forward_kl_loss(const Tensor& student, const Tensor& teacher,
                       const TokenKdOptions& options = {});
// KL(p_student || p_teacher) per token (losses/distill/reverse_kl_loss.cpp).
Tensor reverse_kl_loss(const Tensor& student, const Tensor& teacher,
                       const TokenKdOptions& options = {});
// Generalized Jensen-Shannon divergence of GKD (losses/distill/generalized_jsd_loss.cpp).
Tensor generalized_jsd_loss(const Tensor& student, const Tensor& teacher,
                            const TokenKdOptions& options = {});

struct TopkKdOptions {
  Tensor teacher_indices;         // [..., k] vocabulary ids of the teacher's kept logits
  Tensor labels;                  // [...] optional, only to mark ignored tokens
  double temperature = 1.0;
  int64_t ignore_index = -100;
  std::string reduction = "mean"; // none | mean (over kept tokens) | sum
};

// Forward KL against a teacher given as its top-k (indices, logits) per token
// (losses/distill/topk_kd_loss.cpp). teacher_values [..., k].
Tensor topk_kd_loss(const Tensor& student, const Tensor& teacher_values,
                    const TopkKdOptions& options = {});

struct NkdOptions {
  Tensor target;      // [B] class indices, or [B, C] soft labels (reduced to their argmax)
  double temp = 1.0;  // temperature of the non-target term (the target term is at 1)
  double gamma = 1.5; // weight of the non-target term
};

// Normalized KD: target term plus renormalized non-target KD (losses/distill/nkd_loss.cpp).
Tensor nkd_loss(const Tensor& student, const Tensor& teacher, const NkdOptions& options = {});

struct BinaryKlOptions {
  double T = 2.0;
  double eps = 1e-8;
  bool clamp = true;  // binary_kl_loss only: clamp the sigmoids (DHKD) or use logsigmoid
};

// Per-class Bernoulli KL of sigmoid(t / T) and sigmoid(s / T) (losses/distill/binary_kl_loss.cpp).
Tensor binary_kl_loss(const Tensor& student, const Tensor& teacher,
                      const BinaryKlOptions& options = {});
// KL(Bernoulli(1/2) || Bernoulli(sigmoid((s - t) / T))), DHKD's loss
// (losses/distill/binary_kl_norm_loss.cpp).
Tensor binary_kl_norm_loss(const Tensor& student, const Tensor& teacher,
                           const BinaryKlOptions& options = {});

struct GpgOptions {
  Tensor target;       // [B] class indices
  double alpha = 0.5;  // weight of the soft (KD) term; 1 - alpha weights CE
  double T = 1.0;
};

// EQ-Net's group progressive guidance: alpha T^2 KD + (1 - alpha) CE (losses/distill/gpg_loss.cpp).
Tensor gpg_loss(const Tensor& student, const Tensor& teacher, const GpgOptions& options = {});

struct BdkdOptions {
  Tensor target;    // [B] class indices
  Tensor w_f, w_r;  // [B] per-sample weights of the forward and reverse KL
  double T = 4.0;
};

// BD-KD: CE + T^2 mean(w_f KL(p^t||p^s) + w_r KL(p^s||p^t)) (losses/distill/bdkd_loss.cpp).
Tensor bdkd_loss(const Tensor& student, const Tensor& teacher, const BdkdOptions& options = {});

struct KlTopOptions {
  int64_t k = 1000;          // how many of the full-precision model's top tokens
  bool renormalize = false;  // renormalize both distributions over the top k
};

// KL-Top of OSTQuant: KL(full precision || quantized) on the full-precision top-k tokens
// (losses/distill/kl_top_loss.cpp). logits [..., V].
Tensor kl_top_loss(const Tensor& logits_q, const Tensor& logits_fp,
                   const KlTopOptions& options = {});

struct DualHeadKdOptions {
  Tensor target;       // [B] class indices for the main head's CE
  double gamma = 1.0;  // weight of CE(main head, y)
  double alpha = 1.0;  // weight of binary_kl_norm_loss(auxiliary head, teacher)
  double T = 2.0;
  double eps = 1e-8;
};

// The loss part of Dual-Head KD: gamma CE(main, y) + alpha binary_kl_norm_loss(aux, teacher);
// main [B, C] and aux [B, C] are two heads on one student backbone
// (losses/distill/dual_head_kd.cpp, which documents the training procedure).
Tensor dual_head_kd(const Tensor& main_logits, const Tensor& aux_logits, const Tensor& teacher,
                    const DualHeadKdOptions& options = {});

struct SinkhornKdOptions {
  double T = 2.0;        // the official code fixes T = 2 (it ignores its T argument)
  double eps = 0.1;      // entropic regularization of the transport plan
  int64_t n_iters = 20;  // Sinkhorn row/column normalizations
  double scale = 0.001;  // 0.001 (GLUE); 0.0008 (GPT-Neo, T0)
};

// SinKD: the batch-wise Sinkhorn transport cost between the student's and the teacher's
// softened distributions (losses/distill/sinkhorn_kd_loss.cpp).
Tensor sinkhorn_kd_loss(const Tensor& student, const Tensor& teacher,
                        const SinkhornKdOptions& options = {});

struct PldOptions {
  Tensor target;        // [B] class indices
  double tau_t = 1.0;   // teacher temperature of the weights (the student is not scaled)
};

// PLD: teacher-confidence-weighted Plackett-Luce (ListMLE) loss over the teacher's ranking
// with the label first (losses/distill/pld_loss.cpp).
Tensor pld_loss(const Tensor& student, const Tensor& teacher, const PldOptions& options = {});

struct CrkdOptions {
  int64_t n_lab = -1;  // known classes (the teacher's count; -1: take it from the teacher)
  double tau = 0.1;
  double T = 4.0;
  std::string reduction = "mean";  // over heads: none ([H]) | mean | sum
};

// Cr-KD: class-relation KD for novel class discovery, one loss per head [H], reduced over heads
// (losses/distill/crkd_loss.cpp). teacher [V, H, B, K_l], student [V, H, B, K].
Tensor crkd_loss(const Tensor& teacher, const Tensor& student, const CrkdOptions& options = {});

}  // namespace lathe
