// The catalog's losses: one function per op, (input, target, options) argument order;
// distillation objectives take (student, teacher, ...) and detach the teacher themselves.
#pragma once

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

struct KdOptions {
  double temperature = 4.0;
  std::string variant = "batchmean";  // batchmean | elementwise | cls_kd
  double alpha = 0.5;                 // cls_kd only
  Tensor labels;                      // cls_kd only: [B] class indices
};

// Hinton's knowledge distillation KL loss (losses/distill/kd_kl_loss.cpp).
Tensor kd_kl_loss(const Tensor& student, const Tensor& teacher, const KdOptions& options = {});

Tensor mse_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");
Tensor l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");

}  // namespace lathe
