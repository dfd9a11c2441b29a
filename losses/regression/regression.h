// The regression family of the loss catalog: (input, target, options), each defined in
// losses/regression/<name>.cpp.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct MseLossOptions {
  std::string reduction = "mean";  // none | mean | sum
};

// (input - target)^2, reduced (losses/regression/mse_loss.cpp).
Tensor mse_loss(const Tensor& input, const Tensor& target, const MseLossOptions& options = {});

struct L1LossOptions {
  std::string reduction = "mean";  // none | mean | sum
};

// |input - target|, reduced (losses/regression/l1_loss.cpp).
Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossOptions& options = {});

struct MaskedMaeLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over every element, after re-weighting)
};

// |input - target| weighted by the mask 1[target != 0] / mean(mask), NaN entries set to 0
// (DCRNN's masked MAE; losses/regression/masked_mae_loss.cpp).
Tensor masked_mae_loss(const Tensor& input, const Tensor& target,
                       const MaskedMaeLossOptions& options = {});

struct PseudoHuberLossOptions {
  double c = std::numeric_limits<double>::quiet_NaN();  // NaN: 0.00054 sqrt(elements per sample)
  std::string reduction = "mean";                         // none | mean | sum (over the batch)
};

// sqrt(||x - y||^2 + c^2) - c per sample, the norm over every non-batch dim (iCT's metric;
// losses/regression/pseudo_huber_loss.cpp).
Tensor pseudo_huber_loss(const Tensor& input, const Tensor& target,
                         const PseudoHuberLossOptions& options = {});

struct CauchyLossOptions {
  double c = std::numeric_limits<double>::quiet_NaN();  // required scale, > 0
  std::string reduction = "mean";                         // none | mean | sum (over the batch)
};

// log(1 + ||x - y||^2 / (2 c^2)) per sample, the norm over every non-batch dim (sLCT;
// losses/regression/cauchy_loss.cpp).
Tensor cauchy_loss(const Tensor& input, const Tensor& target,
                   const CauchyLossOptions& options = {});

struct GiouLossOptions {
  double num_boxes = 0.0;          // > 0: DETR/ViDT's sum / num_boxes (reduction unused)
  std::string reduction = "mean";  // none | mean | sum
};

// 1 - GIoU of matched boxes [N, 4] in (cx, cy, w, h) (losses/regression/giou_loss.cpp).
Tensor giou_loss(const Tensor& input, const Tensor& target, const GiouLossOptions& options = {});

struct MaeNormPixLossOptions {
  bool norm_pix = true;  // standardize each target patch over D (unbiased variance + 1e-6)
};

struct MaeNormPixLossResult {
  Tensor loss;    // [] mean of the per-patch losses over the masked patches
  Tensor matrix;  // [N, L] per-patch losses (with their graph: a consumer detaches)
};

// MAE's reconstruction loss of predictions [N, L, D] against target patches [N, L, D] over the
// masked patches (mask [N, L], bool or 0/1 float, 1 = removed)
// (losses/regression/mae_norm_pix_loss.cpp).
MaeNormPixLossResult mae_norm_pix_loss(const Tensor& input, const Tensor& target,
                                       const Tensor& mask,
                                       const MaeNormPixLossOptions& options = {});

struct AggregateBagLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over the bags)
};

// Bag-level loss (y_a - mean_{i in a} f_i)^2 of predictions [n], bag ids [n] (int) and bag
// responses [B] (losses/regression/aggregate_bag_loss.cpp).
Tensor aggregate_bag_loss(const Tensor& pred, const Tensor& bag_ids, const Tensor& bag_y,
                          const AggregateBagLossOptions& options = {});

struct AggregateInstanceLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over the instances)
};

// Instance-level loss (y_{a(i)} - f_i)^2 (losses/regression/aggregate_instance_loss.cpp).
Tensor aggregate_instance_loss(const Tensor& pred, const Tensor& bag_ids, const Tensor& bag_y,
                               const AggregateInstanceLossOptions& options = {});

struct AggregateInterpLossOptions {
  double rho = std::numeric_limits<double>::quiet_NaN();  // required, in [0, 1]
  std::string variant = "convex";                           // convex | regularized
};

// Interpolation between the bag-level (rho 0) and instance-level (rho 1) losses, a scalar
// (losses/regression/aggregate_interp_loss.cpp).
Tensor aggregate_interp_loss(const Tensor& pred, const Tensor& bag_ids, const Tensor& bag_y,
                             const AggregateInterpLossOptions& options = {});

struct IouAwareLossOptions {
  double num_boxes = 0.0;          // > 0: ViDT's sum / num_boxes (reduction unused)
  std::string reduction = "mean";  // none | mean | sum
};

// bce_with_logits of IoU logits [N] against the IoU of predicted boxes [N, 4] with target
// boxes [N, 4] (cx, cy, w, h), the IoU not detached (losses/regression/iou_aware_loss.cpp).
Tensor iou_aware_loss(const Tensor& input, const Tensor& pred_boxes, const Tensor& target_boxes,
                      const IouAwareLossOptions& options = {});

struct UaoUncertaintyLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over the joints)
};

// Laplace-style NLL |J^ - J|_2 exp(-s) + s of predicted joints [..., J, 3], targets [..., J, 3]
// and log-uncertainties [..., J, 1] (losses/regression/uao_uncertainty_loss.cpp).
Tensor uao_uncertainty_loss(const Tensor& input, const Tensor& target, const Tensor& log_sigma,
                            const UaoUncertaintyLossOptions& options = {});

struct JointSampleLossOptions {
  bool joint = true;  // min over samples of the agents' mean (joint) | mean of per-agent mins
};

// Best-of-S trajectory loss of predictions [A, S, T, 2] against ground truth [A, T, 2] with a
// mask [A, T] (losses/regression/joint_sample_loss.cpp).
Tensor joint_sample_loss(const Tensor& input, const Tensor& target, const Tensor& mask,
                         const JointSampleLossOptions& options = {});

struct BinaryKlRegressionLossOptions {
  std::string variant = "kl";      // kl | squared
  std::string reduction = "mean";  // none | mean | sum
};

// Binary KL kl(r || sigmoid(f + xi)) (or (f + xi - r)^2) of predictions [...], rewards in
// [0, 1] and perturbations xi of the same shape (losses/regression/binary_kl_regression_loss.cpp).
Tensor binary_kl_regression_loss(const Tensor& input, const Tensor& target, const Tensor& xi,
                                 const BinaryKlRegressionLossOptions& options = {});

struct TalsLossOptions {
  double w = 0.05;                // weight of keypoints inside their threshold
  std::string reduction = "sum";  // none | mean | sum (the reference's)
};

// Threshold-adaptive L1 of 2D keypoints [B, J, 2] with confidences [B, J] and per-keypoint
// thresholds [J] (losses/regression/tals_loss.cpp).
Tensor tals_loss(const Tensor& input, const Tensor& target, const Tensor& conf,
                 const Tensor& thresh, const TalsLossOptions& options = {});

struct SparseObjectiveLossOptions {
  double lam = std::numeric_limits<double>::quiet_NaN();  // sparsity weight, >= 0 (required)
  std::string reduction = "mean";                           // none | mean | sum (over the batch)
};

// Unsupervised LASSO objective 0.5 |y - A x^|^2 + lam |x^|_1 of estimates [B, N], measurements
// [B, M] and a sensing matrix [M, N] (losses/regression/lasso_objective_loss.cpp).
Tensor lasso_objective_loss(const Tensor& input, const Tensor& measurements, const Tensor& matrix,
                            const SparseObjectiveLossOptions& options = {});

// Unsupervised IHT objective 0.5 |y - A x^|^2 + lam |x^|_0 (losses/regression/
// l0_objective_loss.cpp).
Tensor l0_objective_loss(const Tensor& input, const Tensor& measurements, const Tensor& matrix,
                         const SparseObjectiveLossOptions& options = {});

struct RunningSumProbeLossOptions {
  std::string reduction = "mean";  // none ([B, K, H]) | mean | sum
};

// Linear probes w_h . o_{h,k} of attention-head outputs [B, K, H, dh] with probe weights
// [H, dh], regressed onto the running sums c^_k [B, K] (losses/regression/
// running_sum_probe_loss.cpp).
Tensor running_sum_probe_loss(const Tensor& head_out, const Tensor& weight, const Tensor& target,
                              const RunningSumProbeLossOptions& options = {});

// The probe targets c^_k = sum_{i+j=k} a_i b_j + floor(c^_{k-1} / 10) of two operands given as
// digits, least significant first; len(a) + len(b) values.
std::vector<int64_t> running_sum_targets(const std::vector<int64_t>& a_digits,
                                         const std::vector<int64_t>& b_digits);

// GeneFace's temporal continuity loss of landmark sequences [B, T, D] with an optional frame
// mask [B, T] (losses/regression/temporal_smoothness_loss.cpp).
Tensor temporal_smoothness_loss(const Tensor& input, const Tensor& target,
                                const Tensor& mask = Tensor());

struct CoxPhLossOptions {
  std::string reduction = "samples";  // samples (/ n) | events (/ max(events, 1)) | sum
};

// Cox partial-likelihood loss (Breslow ties) of risk scores [n], times [n] and event indicators
// [n] (losses/regression/cox_ph_loss.cpp).
Tensor cox_ph_loss(const Tensor& risk, const Tensor& time, const Tensor& event,
                   const CoxPhLossOptions& options = {});

}  // namespace lathe
