// torch.nn.functional parity losses of the classification family (issue 17): PyTorch's argument
// names, defaults and semantics, one loss per file in losses/classification/<name>.cpp.
// Arguments are (input, target, options). Where lathe departs from PyTorch 1.13 (a batch whose
// targets are all ignored gives 0, not NaN: the loss contract), the op's opening comment says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/tensor.h"

namespace lathe {

// The class indices `target` as i64, after checking that they are integers and that each lies in
// [0, classes) or equals `ignore_index`: "[op] name must hold integer class indices, got f32 .."
// and "[op] name holds class index 7, outside [0, 4)". The shape is the caller's to check.
// (losses/classification/class_indices.cpp; reads the values on the host.)
Tensor class_indices(const char* op, const char* name, const Tensor& target, int64_t classes,
                     std::optional<int64_t> ignore_index = std::nullopt);

struct NllLossOptions {
  Tensor weight;                   // [C] class weights (constant), or undefined
  int64_t ignore_index = -100;     // targets equal to it contribute nothing
  std::string reduction = "mean";  // none | mean (weighted, over kept targets) | sum
};

// Negative log-likelihood of log-probabilities [N, C], [N, C, d1, ...] or [C] against class
// indices [N], [N, d1, ...] or [] (int). losses/classification/nll_loss.cpp.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NllLossOptions& options = {});

struct KlDivOptions {
  std::string reduction = "mean";  // none | mean (every element) | sum | batchmean (sum / N)
  bool log_target = false;         // the target holds log-probabilities
};

// Pointwise KL divergence target (log target - input) of log-probabilities `input` against
// probabilities (or log-probabilities) `target` of the same shape.
// losses/classification/kl_div.cpp.
Tensor kl_div(const Tensor& input, const Tensor& target, const KlDivOptions& options = {});

struct BinaryCrossEntropyOptions {
  Tensor weight;                   // rescales each element's loss, broadcast (constant)
  std::string reduction = "mean";  // none | mean | sum
};

// Binary cross-entropy of probabilities in [0, 1] against targets in [0, 1] of the same shape,
// each log clamped at -100. losses/classification/binary_cross_entropy.cpp.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BinaryCrossEntropyOptions& options = {});

struct SoftMarginLossOptions {
  std::string reduction = "mean";  // none | mean | sum
};

// log(1 + exp(-y x)) for scores x and labels y in {-1, 1} (float) of the same shape.
// losses/classification/soft_margin_loss.cpp.
Tensor soft_margin_loss(const Tensor& input, const Tensor& target,
                        const SoftMarginLossOptions& options = {});

struct MultilabelSoftMarginLossOptions {
  Tensor weight;                   // [C] class weights (constant), or undefined
  std::string reduction = "mean";  // none ([N]) | mean | sum over samples
};

// Per sample, the mean over classes of the sigmoid cross-entropy of scores [N, C] (or [C])
// against 0/1 targets of the same shape. losses/classification/multilabel_soft_margin_loss.cpp.
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultilabelSoftMarginLossOptions& options = {});

struct MultilabelMarginLossOptions {
  std::string reduction = "mean";  // none ([N]) | mean | sum over samples
};

// sum_{j in targets} sum_{i not in targets} max(0, 1 - (x_j - x_i)) / C per sample, the targets
// of a row [N, C] (int) being its entries before the first -1.
// losses/classification/multilabel_margin_loss.cpp.
Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                              const MultilabelMarginLossOptions& options = {});

struct MultiMarginLossOptions {
  int64_t p = 1;                   // 1 or 2: the hinge or its square
  double margin = 1.0;
  Tensor weight;                   // [C] class weights (constant), or undefined
  std::string reduction = "mean";  // none ([N]) | mean | sum over samples
};

// sum_{i != y} w_y max(0, margin - x_y + x_i)^p / C of scores [N, C] (or [C]) against class
// indices [N] (or []). losses/classification/multi_margin_loss.cpp.
Tensor multi_margin_loss(const Tensor& input, const Tensor& target,
                         const MultiMarginLossOptions& options = {});

struct HingeEmbeddingLossOptions {
  double margin = 1.0;
  std::string reduction = "mean";  // none | mean | sum
};

// x where y = 1, max(0, margin - x) where y = -1, for distances x and labels y (float, same
// shape). losses/classification/hinge_embedding_loss.cpp.
Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                            const HingeEmbeddingLossOptions& options = {});

struct CtcLossOptions {
  int64_t blank = 0;               // the blank class, in [0, C)
  std::string reduction = "mean";  // none ([N]) | mean (each over its target length) | sum
  bool zero_infinity = false;      // infeasible alignments give 0 and zero gradients
};

// Connectionist temporal classification loss of log-probabilities [T, N, C] (or [T, C])
// against targets [N, S] padded or concatenated [sum of target_lengths] (or [S]), with
// input_lengths and target_lengths [N] (or []) integer tensors. Custom backward (PyTorch's).
// losses/classification/ctc_loss.cpp.
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CtcLossOptions& options = {});

}  // namespace lathe
