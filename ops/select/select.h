// Differentiable selection operators (catalog: ranking.md, dir ops/select): each defined in
// ops/select/<name>.cpp.
#pragma once

#include "core/tensor.h"

namespace lathe {

// The per-row shift t [B, 1] with sum_l sigmoid(alpha (x_l + t)) = k, found by n_iter
// bisection steps without gradient (ops/select/soft_topk.cpp).
Tensor soft_topk_shift(const Tensor& x, double k, double alpha, int64_t n_iter);

// Soft top-k membership sigmoid(alpha (x + t)) of scores [B, L] (rows sum to k), or its log,
// with the implicit gradient of t (ops/select/soft_topk.cpp).
Tensor soft_topk(const Tensor& x, double k = 5.0, double alpha = 2.0, int64_t n_iter = 32,
                 bool log = false);

}  // namespace lathe
