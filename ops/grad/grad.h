// Gradient operators (catalog: other.md, dir ops/grad): identity forwards whose backward is
// their definition, each in ops/grad/<name>.cpp (custom-backward ops, ops/custom_op.h).
#pragma once

#include "core/tensor.h"

namespace lathe {

// Identity forward; backward -coeff grad (the gradient reversal layer).
Tensor gradient_reversal(const Tensor& x, double coeff = 1.0);

// Identity forward; backward kappa grad (AGM's gradient modulation).
Tensor grad_scale(const Tensor& x, double kappa = 1.0);

}  // namespace lathe
