// The catalog's "other" family entries that live in losses/other/ (catalog: other.md):
// knowledge-graph scoring, clustering, unlearning, anomaly detection, test-time adaptation,
// video consistency and dataset-distillation objectives. The six `op` entries are registered
// ops (family `other`, docs/ops-layers.md); the six `procedure` entries are plain functions
// declared below (their loss parts and the small rules around them), each run on a tiny model
// in tests/losses/other_procedures_test.cpp. losses/other/README.md says what was verified
// against which code. The hyperbolic and gradient ops of the family are in ops/hyperbolic/
// and ops/grad/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

// ---- ops (registered) ----

struct NfeScoreLossOptions {
  double gamma = 1.0;              // the score margin (per dataset; WN18RR NFE-1: 1)
  std::string variant = "nfe1";    // nfe1 (2-Wasserstein) | nfe2 (mixture) | nfe3 (KL)
  std::string reduction = "mean";  // none ([B], summed over entities) | mean | sum (over B)
};

// NFE's 1-vs-all scores [B, E] of (head [B, 2d], relation [B, 2d]) against every entity
// [E, 2d]; rows are (mu, sigma) halves (nfe2: head and entities [., 3d], (mu, sigma_a,
// sigma_b)). losses/other/nfe_score_loss.cpp.
Tensor nfe_scores(const Tensor& head, const Tensor& relation, const Tensor& entities,
                  double gamma = 1.0, const std::string& variant = "nfe1");
// sum_e softplus((1 - 2 [e = tail]) score_e) per triple, tail [B] (int), reduced over B.
Tensor nfe_score_loss(const Tensor& head, const Tensor& relation, const Tensor& entities,
                      const Tensor& tail, const NfeScoreLossOptions& options = {});

struct DepictClusterLossOptions {
  std::string reduction = "mean";  // none ([N]) | mean | sum
};

// DEPICT's auxiliary target q [N, K] from clean probabilities p [N, K] of the whole dataset:
// "code" q ~ p^2 / sum_i p (official code), "paper" q ~ p / sqrt(sum_i p) (the paper's Eq.),
// normalized over k. No gradient. losses/other/depict_cluster_loss.cpp.
Tensor depict_target(const Tensor& probs_clean, const std::string& variant = "code");
// -sum_k q_ik log softmax(logits)_ik per row; the target is detached.
Tensor depict_cluster_loss(const Tensor& input, const Tensor& target,
                           const DepictClusterLossOptions& options = {});

struct IttaConsistencyLossOptions {
  std::string reduction = "mean";  // none ([B, D]) | mean (MSE) | sum
};

// ITTA's Adaparams f_w: L elementwise affine layers w_l x + b_l, relu between them.
// x [B, D], weight and bias [L, D] (official init: ones and zeros, L = 10).
Tensor itta_adaparams(const Tensor& x, const Tensor& weight, const Tensor& bias);
// MSE(f_w(z_a - z_o), 0): z_o, z_a [B, D]. losses/other/itta_consistency_loss.cpp.
Tensor itta_consistency_loss(const Tensor& z_o, const Tensor& z_a, const Tensor& weight,
                             const Tensor& bias, const IttaConsistencyLossOptions& options = {});
// The meta-update's penalty: weight * mean((g1 / |g1| - g2 / |g2|)^2) over the concatenated
// gradients g1 = d L_reg / d theta, g2 = d L_cla / d theta (take them with create_graph so
// that the penalty reaches f_w). A zero gradient vector counts as zero (no 0/0).
Tensor itta_grad_penalty(const std::vector<Tensor>& grads_reg,
                         const std::vector<Tensor>& grads_cla, double weight = 0.1);

// Loki: the objective P D^2^T [B, Y] of probabilities P [B, K] over the training labels and
// squared label distances D^2 [Y, K], and its first arg-min [B] (i64).
// losses/other/loki_frechet_predict.cpp.
Tensor loki_frechet_objective(const Tensor& probs, const Tensor& sq_dist);
Tensor loki_frechet_predict(const Tensor& probs, const Tensor& sq_dist);

struct DatamodelMatchingLossOptions {
  std::string reduction = "mean";  // none ([B], summed over outputs) | mean | sum (over B)
};

// sum_c (f(x) - o(x))^2 per example against the datamodel's predicted outputs (detached).
// losses/other/datamodel_matching_loss.cpp.
Tensor datamodel_matching_loss(const Tensor& input, const Tensor& target,
                               const DatamodelMatchingLossOptions& options = {});

// Hawk: 1 - cos(vec(m_video), vec(m_motion)), one cosine over the whole batch (eps 1e-8).
// losses/other/motion_video_consistency_loss.cpp.
Tensor motion_video_consistency_loss(const Tensor& m_video, const Tensor& m_motion,
                                     double eps = 1e-8);
// L_LM(video) + w_motion L_LM(motion) + w_cons L_cons (Hawk's training loss).
Tensor hawk_total_loss(const Tensor& lm_loss, const Tensor& lm_loss_motion,
                       const Tensor& m_video, const Tensor& m_motion, double w_motion = 0.1,
                       double w_cons = 0.1);

// ---- procedures (functions) ----

// LAF (label-agnostic forgetting), losses/other/laf_losses.cpp. e [B, 256] representations.
// The representation VAE's loss: sum |e_hat - e|^2 / B + kl_weight KLD / B,
// KLD = -1/2 sum(log(sigma^2 + 1e-8) + 1 - mu^2 - sigma^2).
Tensor laf_vae_loss(const Tensor& e_hat, const Tensor& e, const Tensor& mu, const Tensor& sigma,
                    double kl_weight = 0.025);
// sum_b exp(m_b / (m_b + 1)), m_b = sum_d (e_hat - e)^2 (a sum over the batch).
Tensor laf_nmse(const Tensor& e_hat, const Tensor& e);
// The representation-unlearning step: nmse(VAE_r(e_r), e_r) - nmse(VAE_f(e_f), e_f).
Tensor laf_unlearn_loss(const Tensor& e_hat_r, const Tensor& e_r, const Tensor& e_hat_f,
                        const Tensor& e_f);
// The alignment step: sum_i log(exp(c_i) / sum_j exp(u_j / tau)), c = 1 - cos(e_r, teacher_r),
// u = 1 - cos(e_f, teacher_f) (teachers detached).
Tensor laf_align_loss(const Tensor& e_r, const Tensor& e_r_teacher, const Tensor& e_f,
                      const Tensor& e_f_teacher, double tau = 20.0);

// SHA256's constrained unlearning (losses/other/unlearning_joint_loss.cpp):
// -CE(forget) + alpha CE(retain), token CEs with ignore_index -100 over [N, C] / [N].
Tensor unlearning_joint_loss(const Tensor& logits_forget, const Tensor& target_forget,
                             const Tensor& logits_retain, const Tensor& target_retain,
                             double alpha = 1.2);
// The official code's adaptive multiplier: 1.2 during the first epoch (which records the mean
// retain loss); later, when the retain loss exceeds that mean by delta > 0,
// clamp(round(0.3 * 6^delta + 0.8, 1 decimal), 1.2, 2.3), else 1.2.
struct UnlearningAlpha {
  double sum = 0;      // retain losses of the first epoch
  int64_t count = 0;   // retain examples of the first epoch
  double average = 0;  // sum / count, the reference the later epochs compare with
  // Returns the multiplier for this batch's retain loss (batch examples counted in epoch 0).
  double update(double retain_loss, int64_t batch_examples, int64_t epoch);
};

// FOD (focus the discrepancy), losses/other/fod_losses.cpp.
// Row-normalized RBF target [h, L, L] from the projection s [h, L, 2] on a w x w patch grid:
// sigma = 3^(sigmoid(5 s) + 1e-5) - 1, T_ij ~ exp(-dy^2/(2 s1^2) - dx^2/(2 s2^2)) / (2 pi s1 s2).
Tensor fod_rbf_target(const Tensor& s, int64_t w);
// mean over heads of sum_j p (log(p + 1e-4) - log(q + 1e-4)): [h, L, L] -> [L].
Tensor fod_kl(const Tensor& p, const Tensor& q);
// mean over heads of sum_j -p log(p + 1e-4): [h, L, L] -> [L].
Tensor fod_entropy(const Tensor& p);
// MSE(out, in) + mean(1 - cos(out, in)) over the last dim.
Tensor fod_recon_loss(const Tensor& out, const Tensor& in);
struct FodLayer {
  Tensor attn;    // [h, L, L] softmax attention
  Tensor target;  // [h, L, L] fod_rbf_target of the layer's projection
};
struct FodLosses {
  Tensor loss1;  // L_rec + lam1 L2_intra - lam1 L2_inter (moves the targets' sigma)
  Tensor loss2;  // L_rec - lam1 L1_intra - lam2 Ent_intra + lam1 L1_inter + lam2 Ent_inter
};
// The two losses of one step, summed over the layers; call backward on loss1 with
// retain_graph, then on loss2, then step once (the gradients accumulate).
FodLosses fod_losses(const Tensor& recon_loss, const std::vector<FodLayer>& intra,
                     const std::vector<FodLayer>& inter, double lam1 = 1.0, double lam2 = 1.0);

// ARL (losses/other/arl_entropy_weighting.cpp): the fusion weights [2] (no gradient) of the
// audio and visual logits [B, C], softmax(T [c_v / H_a, c_a / H_v]) with normalized entropies
// H clamped >= 0.3 and mean-|logit| shares c; and the loss CE(fused) + gamma (CE(a) + CE(v)).
Tensor arl_weights(const Tensor& logits_a, const Tensor& logits_v, double T = 8.0);
Tensor arl_loss(const Tensor& logits_fused, const Tensor& logits_a, const Tensor& logits_v,
                const Tensor& target, double gamma = 1.0);

// Trajectory matching (losses/other/trajectory_matching_loss.cpp): n_steps differentiable
// (heavy-ball when momentum > 0) SGD steps theta <- theta - lr v from theta_start [P] on
// inner_loss(theta, step), then |theta_N - theta_target|^2 / |theta_start - theta_target|^2.
// lr is a tensor (learnable); gradients reach it and whatever inner_loss closes over.
struct TrajectoryMatchingOptions {
  int64_t n_steps = 20;   // synthetic steps N (MTT's syn_steps)
  double momentum = 0.0;  // 0: MTT; 0.9: AST's inner loop
};
Tensor trajectory_matching_loss(const Tensor& theta_start, const Tensor& theta_target,
                                const Tensor& lr,
                                const std::function<Tensor(const Tensor&, int64_t)>& inner_loss,
                                const TrajectoryMatchingOptions& options = {});

// Weak Cube R-CNN (losses/other/weakcube_losses.cpp): the 3D head's losses from 2D boxes.
// The box [n, 4] (x0, y0, x1, y1) enclosing the projected corners center + R (+-dims / 2)
// of cubes center [n, 3], dims [n, 3], R [n, 3, 3] under intrinsics K [n, 3, 3].
Tensor weakcube_project_box(const Tensor& center, const Tensor& dims, const Tensor& R,
                            const Tensor& K);
// GIoU loss per box pair [n] of (x0, y0, x1, y1) boxes (torchvision's, eps 1e-7).
Tensor weakcube_giou_loss(const Tensor& boxes, const Tensor& proj);
// Pose consistency: per image, mean over pairs of 1 - |cos angle(R_i, R_j)|, summed and
// divided by (one-cube images + 1) as the code does; undefined when no image has two cubes.
Tensor weakcube_pose_loss(const Tensor& R, const std::vector<int64_t>& boxes_per_image);
// 1 - |cos(ground_normal, R[:, 1, :])| per cube [n].
Tensor weakcube_normal_loss(const Tensor& ground_normal, const Tensor& R);
struct WeakCubeOptions {
  double w_iou = 1.0, w_pose = 1.0, w_normal = 1.0, w_3d = 1.0;  // config weights (not read)
  bool has_ground_map = true;  // false: the normal term is weighted 0.1, as the code does
};
struct WeakCubeLosses {
  Tensor iou;     // [n]
  Tensor pose;    // [] or undefined
  Tensor normal;  // [n]
  Tensor total;   // w_3d (w_iou mean(iou) + w_pose pose + w_normal conf mean(normal))
};
WeakCubeLosses weakcube_losses(const Tensor& center, const Tensor& dims, const Tensor& R,
                               const Tensor& K, const Tensor& gt_boxes,
                               const Tensor& ground_normal,
                               const std::vector<int64_t>& boxes_per_image,
                               const WeakCubeOptions& options = {});

}  // namespace lathe
