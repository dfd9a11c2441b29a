// The classification family of the loss catalog (catalog: classification.md): one declaration
// block per loss, each defined in losses/classification/<name>.cpp. Arguments are
// (input, target, options).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct CrossEntropyOptions {
  Tensor weight;                      // [C] class weights, or undefined
  int64_t ignore_index = -100;        // hard targets equal to it contribute nothing
  double label_smoothing = 0.0;
  std::string reduction = "mean";     // none | mean | sum
  std::string smoothing = "uniform";  // uniform (PyTorch) | exclusive (fairseq >= 0.10)
};

// Cross-entropy of logits [B, C] or [B, C, d1, ...] against class indices [B, d1, ...] (int) or
// class probabilities shaped like the logits (float). losses/classification/cross_entropy.cpp.
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyOptions& options = {});

struct BceWithLogitsOptions {
  Tensor weight;                   // rescales each element's loss, broadcast (constant)
  Tensor pos_weight;               // weight of the positive term, over the last dim (constant)
  std::string reduction = "mean";  // none | mean | sum
};

// Binary cross-entropy of logits against targets in [0, 1] of the same shape.
// losses/classification/bce_with_logits.cpp.
Tensor bce_with_logits(const Tensor& input, const Tensor& target,
                       const BceWithLogitsOptions& options = {});

struct FocalLossOptions {
  double alpha = 0.25;             // scalar weight of every row (not per class)
  double gamma = 2.0;              // focusing exponent, >= 0 (0: alpha times cross-entropy)
  int64_t ignore_index = -100;     // targets equal to it contribute nothing
  std::string reduction = "mean";  // none | mean (over kept rows) | sum
};

// Softmax focal loss of logits [B, C] against class indices [B] (int).
// losses/classification/focal_loss.cpp.
Tensor focal_loss(const Tensor& input, const Tensor& target,
                  const FocalLossOptions& options = {});

struct SigmoidFocalLossOptions {
  double alpha = 0.25;             // weight of positives (1 - alpha: negatives); < 0 disables
  double gamma = 2.0;              // focusing exponent, >= 0
  std::string reduction = "none";  // none | mean | sum (torchvision's default is none)
  double num_boxes = 0.0;          // > 0: DETR's loss.mean(1).sum() / num_boxes instead
};

// Sigmoid focal loss of logits against (soft) targets in [0, 1] of the same shape.
// losses/classification/sigmoid_focal_loss.cpp.
Tensor sigmoid_focal_loss(const Tensor& input, const Tensor& target,
                          const SigmoidFocalLossOptions& options = {});

struct LogisticLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over examples)
};

// Logistic loss softplus(-y <a_i, w>) of data [N, D], labels [N] in {-1, +1} (float) and
// weights [D]. losses/classification/logistic_loss.cpp.
Tensor logistic_loss(const Tensor& data, const Tensor& labels, const Tensor& weights,
                     const LogisticLossOptions& options = {});

struct CompSumLossOptions {
  double tau = std::numeric_limits<double>::quiet_NaN();  // required: the family member
  std::string reduction = "mean";                           // none | mean | sum
};

// Comp-sum loss (p_y^(tau-1) - 1) / (1 - tau) of logits [B, C] against class indices [B] (int).
// losses/classification/comp_sum_loss.cpp.
Tensor comp_sum_loss(const Tensor& input, const Tensor& target,
                     const CompSumLossOptions& options = {});

struct ZLossOptions {
  double a = 1.0;                  // sharpness, > 0
  double b = 0.0;                  // location
  double eps = 1e-12;              // added to the standard deviation, outside the square root
  std::string reduction = "mean";  // none | mean | sum
};

// Z-loss (1/a) softplus(a (b - z_y)) of pre-activations [B, C] standardised over the classes,
// against class indices [B] (int). losses/classification/z_loss.cpp.
Tensor z_loss(const Tensor& input, const Tensor& target, const ZLossOptions& options = {});

struct FedldMarginalLogLossOptions {
  double lam = 0.03;  // lambda (FedLD's --margin_loss_penalty)
};

// FedLD's marginal log loss CE_mean(z, y) + lambda log(1 + ||softmax(z)||_F^2) of logits [B, C]
// against class indices [B] (int) (losses/classification/fedld_marginal_log_loss.cpp).
Tensor fedld_marginal_log_loss(const Tensor& input, const Tensor& target,
                               const FedldMarginalLogLossOptions& options = {});

struct AnylossOptions {
  std::string metric = "fbeta";  // fbeta | gmean | gmean_sqrt | bacc | acc
  double L = std::numeric_limits<double>::quiet_NaN();  // amplifier, > 0 (required)
  double beta = 1.0;             // F-beta's beta
};

// AnyLoss 1 - metric(soft confusion matrix) of probabilities [N] against labels [N] (int, 0/1):
// one scalar per batch (losses/classification/anyloss.cpp).
Tensor anyloss(const Tensor& input, const Tensor& target, const AnylossOptions& options = {});

struct NormalizedSoftmaxLossOptions {
  double temperature = 0.05;    // T (Zhai & Wu; 0.1 is pyopenset's scale s = 10)
  bool pre_layernorm = false;   // parameter-free LayerNorm (eps 1e-5) on x first
  std::string reduction = "mean";  // none | mean | sum (over the batch)
};

// Cross-entropy of cosine logits <x/|x|, w/|w|> / T of embeddings [B, D] against class proxies
// [C, D], class indices [B] (int) (losses/classification/normalized_softmax_loss.cpp).
Tensor normalized_softmax_loss(const Tensor& input, const Tensor& proxies, const Tensor& target,
                               const NormalizedSoftmaxLossOptions& options = {});

struct EbvGenerationLossOptions {
  double thr = 0.002;             // allowed |cos| between basis vectors
  std::string reduction = "sum";  // none ([N, N]) | mean | sum
};

// Equiangular basis generation loss sum_{i != j} relu(|cos(w_i, w_j)| - thr) of rows [N, d]
// (losses/classification/ebv_generation_loss.cpp).
Tensor ebv_generation_loss(const Tensor& weight, const EbvGenerationLossOptions& options = {});

struct FixmatchConfidenceCeOptions {
  double tau = 0.95;              // confidence threshold (conf_thresh)
  std::string mode = "pixelwise"; // pixelwise | pixelratio | pixelavg
  int64_t ignore_value = 255;     // pixels of `ignore` equal to it are not valid
};

// FixMatch-style confident pseudo-label cross-entropy of strong-view logits [B, C, H, W]
// against the argmax of weak-view logits [B, C, H, W] (a detached teacher), with an ignore map
// [B, H, W] (int) (losses/classification/fixmatch_confidence_ce.cpp).
Tensor fixmatch_confidence_ce(const Tensor& input, const Tensor& weak, const Tensor& ignore,
                              const FixmatchConfidenceCeOptions& options = {});

// Equiangular-basis logits normalize(f) E^T / tau of features [B, d] against a frozen basis
// [N, d] (losses/classification/ebv_logits.cpp; registered in family nn).
Tensor ebv_logits(const Tensor& features, const Tensor& basis, double tau = 0.07);

struct DequityFocalLossOptions {
  double eta = 1.0;                // the weight floor term
  double gamma = 5.0;              // focusing exponent on 1 - likelihood
  std::string reduction = "mean";  // none | mean | sum
};

// DatasetEquity's weighting (eta + (1 - p)^gamma) / (eta + 1) of per-sample losses [n] by
// cluster likelihoods p [n] (losses/classification/dequity_focal_loss.cpp).
Tensor dequity_focal_loss(const Tensor& losses, const Tensor& likelihood,
                          const DequityFocalLossOptions& options = {});

// EnsLoss's surrogate mean_i sg(g_i) m_i of scores [B], binary labels [B] (int, 0/1) and the
// step's normal draws u [B]: a random calibrated loss derivative per sample
// (losses/classification/ensloss.cpp).
Tensor ensloss(const Tensor& input, const Tensor& target, const Tensor& u);

struct DeepSupervisionLossOptions {
  std::string reduction = "mean";  // none | mean | sum (over the batch)
};

// The loss part of deep supervision sum_m w_m CE(head_m, y) over auxiliary heads' logits
// [B, C] each, class indices [B] (int) and head weights [M] (a procedure's loss part;
// losses/classification/deep_supervision_loss.cpp).
Tensor deep_supervision_loss(const std::vector<Tensor>& head_logits, const Tensor& target,
                             const Tensor& weights,
                             const DeepSupervisionLossOptions& options = {});

}  // namespace lathe
