// The regression family of the loss catalog: (input, target, options), each defined in
// losses/regression/<name>.cpp.
#pragma once

#include <string>

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

}  // namespace lathe
