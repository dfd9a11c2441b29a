// Gradient clipping by total norm, as torch.nn.utils.clip_grad_norm_ (PyTorch 1.13,
// https://pytorch.org/docs/1.13/generated/torch.nn.utils.clip_grad_norm_.html):
//   total = || (||g_1||_p, ..., ||g_n||_p) ||_p     over the parameters that have a gradient
//           (p = inf: max_i max |g_i|)
//   every g_i = g_i * min(1, max_norm / (total + 1e-6))
// Returns the total norm (before clipping); 0 when no parameter has a gradient. A non-finite
// total scales the gradients by NaN, as PyTorch does, unless error_if_nonfinite asks for an
// error instead. Each clipped gradient is a new tensor set as the parameter's .grad (not an
// in-place update): the engine may hand one gradient tensor to several leaves (the two inputs of
// an add), and scaling it in place would scale it once per leaf.
#pragma once

#include <limits>
#include <vector>

#include "core/tensor.h"

namespace lathe::optim {

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0,
                      bool error_if_nonfinite = false);

constexpr double kInfNorm = std::numeric_limits<double>::infinity();

}  // namespace lathe::optim
