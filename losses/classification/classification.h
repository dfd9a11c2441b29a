// The classification family of the loss catalog (catalog: classification.md): one declaration
// block per loss, each defined in losses/classification/<name>.cpp. Arguments are
// (input, target, options).
#pragma once

#include <limits>
#include <string>

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

}  // namespace lathe
