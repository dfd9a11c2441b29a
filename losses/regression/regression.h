// The regression family of the loss catalog: (input, target, reduction), each defined in
// losses/regression/<name>.cpp.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

Tensor mse_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");
Tensor l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");

}  // namespace lathe
