// The catalog's other distillation objectives (catalog: distillation.md): quantization
// reconstruction, weak-to-strong targets, mutual-information bounds, segmentation, diffusion
// and trajectory distillation. Each takes its teacher-side inputs detached; each is defined
// in losses/distill/<name>.cpp.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct AphReconOptions {
  Tensor hessian;  // [same shape] the average perturbation Hessian H (|H| is used; constant)
};

// APHQ-ViT's block reconstruction mean((pred - target)^2 |H|) (losses/distill/aph_recon_loss.cpp).
Tensor aph_recon_loss(const Tensor& pred, const Tensor& teacher,
                      const AphReconOptions& options = {});

struct W2sProductOptions {
  double alpha = 1.0;  // exponent of the weak labels
  double beta = 1.0;   // exponent of the strong model's probabilities
};

// Weak-to-strong product loss: CE(logits, sg(normalize(p^beta w^alpha)))
// (losses/distill/w2s_product_loss.cpp). logits [B, C], weak labels [B, C].
Tensor w2s_product_loss(const Tensor& logits, const Tensor& teacher,
                        const W2sProductOptions& options = {});

struct SafTrajectoryOptions {
  Tensor target;       // [B] class indices
  double lam = 0.16;   // weight of the trajectory KL (reinforce)
  double T = 5.0;
};

// SAF: CE(z, y) + lam T^2 KL(softmax(past / T) || softmax(z / T)), past the logits stored
// 3 epochs ago (losses/distill/saf_trajectory_loss.cpp).
Tensor saf_trajectory_loss(const Tensor& logits, const Tensor& teacher,
                           const SafTrajectoryOptions& options = {});
// SAF's logit bank [E_ago + 1, N, C], returned with slot epoch % (E_ago + 1) rows idx set to
// z (detached): the state is taken and returned, never written in place.
Tensor saf_bank_write(const Tensor& bank, int64_t epoch, const Tensor& idx, const Tensor& z,
                      int64_t e_ago = 3);

struct MiAlphaOptions {
  double alpha = 0.5;  // 0: TUBA/NWJ with the baseline, 1: leave-one-out InfoNCE
};

// The interpolated MI lower bound of Distiller, -I_alpha (losses/distill/mi_alpha_loss.cpp).
// scores [K, K] (student i vs teacher j), log_baseline [K].
Tensor mi_alpha_loss(const Tensor& scores, const Tensor& log_baseline,
                     const MiAlphaOptions& options = {});

struct BpkdOptions {
  Tensor edge_mask;         // [B, C, H, W] soft per-class edge mask M in [0, 1] (constant)
  double T = 4.0;
  double alpha = 2.0;       // weight inside the edge term
  double lam_body = 20.0;
  double lam_edge = 50.0;
};

// BPKD: edge KD on the mask's pixels plus channel-wise body KD off them
// (losses/distill/bpkd_edge_body_loss.cpp). logits [B, C, H, W].
Tensor bpkd_edge_body_loss(const Tensor& student, const Tensor& teacher,
                           const BpkdOptions& options = {});

struct W2sLogconfOptions {
  double step_frac = 1.0;    // training progress in [0, 1] (after warm-up: coef = aux_coef)
  double aux_coef = 0.5;
  double warmup_frac = 0.1;
};

// Weak-to-strong auxiliary confidence loss: CE against (1 - coef) weak + coef hardened own
// predictions (losses/distill/w2s_logconf_loss.cpp). logits [B, 2], weak labels [B, 2].
Tensor w2s_logconf_loss(const Tensor& logits, const Tensor& teacher,
                        const W2sLogconfOptions& options = {});

struct UskdOptions {
  Tensor target;        // [N] class indices
  double alpha = 1.0;   // weight of the target term
  double beta = 0.1;    // weight of the Zipf non-target term
  double mu = 0.005;    // weight of the weak head's smoothed CE
};

// USKD (teacher-free): soft target term, Zipf non-target term and a weak head's CE
// (losses/distill/uskd_loss.cpp). student logits [N, C], weak-head logits [N, C].
Tensor uskd_loss(const Tensor& student, const Tensor& weak_logits,
                 const UskdOptions& options = {});

struct LandmarkKdOptions {
  Tensor tolerant;     // [same shape] the tolerant teacher's coordinates T_l (constant)
  double ah = 1.9;     // weight toward the tough teacher's reflection
  double amh = -0.45;  // weight inside its band (negative: pushes away)
  double al = 1.8;     // the same two for the tolerant teacher
  double aml = -0.4;
  double wm = 2.0;     // weight of the main term
  double wh = 1.0;     // weight of the tough-teacher term
  double wl = 1.0;     // weight of the tolerant-teacher term
};

// KD-Loss for facial landmarks with a tough and a tolerant teacher
// (losses/distill/landmark_kd_loss.cpp). coordinates [...], all one shape.
Tensor landmark_kd_loss(const Tensor& input, const Tensor& target, const Tensor& teacher,
                        const LandmarkKdOptions& options = {});

// MTARD's balance state, carried by the training loop (catalog: the state is explicit):
// teacher temperatures and loss weights, and the first step's losses (negative: not yet).
struct MtardState {
  double tau_adv = 1.0, tau_nat = 1.0;
  double w_adv = 0.5, w_nat = 0.5;
  double l0_adv = -1.0, l0_nat = -1.0;
};

struct MtardOptions {
  Tensor student_nat;     // [B, C] student logits on the clean inputs
  Tensor teacher_nat;     // [B, C] the natural teacher's logits on the clean inputs
  double tau_adv = 1.0;   // the state's temperatures and weights (MtardState), this step's
  double tau_nat = 1.0;
  double w_adv = 0.5;
  double w_nat = 0.5;
};

// Multi-teacher adversarial distillation: w_adv KL-like term against the robust teacher on
// adversarial inputs plus w_nat against the natural teacher on clean inputs
// (losses/distill/mtard_loss.cpp). student_adv, teacher_adv [B, C].
Tensor mtard_loss(const Tensor& student_adv, const Tensor& teacher_adv,
                  const MtardOptions& options = {});
// The state after one step: temperatures by the teachers' entropy balance, weights by the
// normalized loss balance (l_adv, l_nat: this step's two terms, unweighted).
MtardState mtard_update(const MtardState& state, const Tensor& teacher_adv,
                        const Tensor& teacher_nat, double l_adv, double l_nat,
                        double eta_tau = 0.001, double eta_w = 0.025);

struct LsskdOptions {
  Tensor target;        // [B] labels of the final head
  Tensor joint_target;  // [B] joint (class x transformation) labels of the auxiliary heads
  double T = 3.0;
};

// LSSKD's loss part: CE of the final head, CE of every auxiliary head on the joint labels,
// and T^2 KL from each auxiliary head to the next (losses/distill/lsskd_loss.cpp).
// final_logits [B, C], aux_logits: L heads [B, K].
Tensor lsskd_loss(const Tensor& final_logits, const std::vector<Tensor>& aux_logits,
                  const LsskdOptions& options = {});

struct SpanCorrelationOptions {
  Tensor spans;  // [S, 2] (start, end) token ranges, end exclusive
};

// Span-level correlation consistency: MSE between the student's and the teacher's products
// of consecutive token distributions inside each span (losses/distill/span_correlation_loss.cpp).
// input and teacher: token distributions [T, V].
Tensor span_correlation_loss(const Tensor& input, const Tensor& teacher,
                             const SpanCorrelationOptions& options = {});

struct DacKlOptions {
  Tensor lower;  // [N, 1] lower cumulative-mass bound of the kept region (constant)
  Tensor upper;  // [N, 1] upper bound
};

// DAC-KL with given bounds: KL restricted to the teacher's high-density region between two
// cumulative-mass bounds, both sides renormalized there (losses/distill/dac_kl_loss.cpp).
// logits [N, V].
Tensor dac_kl_loss(const Tensor& student, const Tensor& teacher, const DacKlOptions& options = {});

}  // namespace lathe
