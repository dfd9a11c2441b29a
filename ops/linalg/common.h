// Helpers of the linear-algebra ops (ops/linalg/): argument checks, the matrix pieces their
// backward rules are written with, and the one way a linear-algebra kernel runs.
#pragma once

#include "ops/composite.h"
#include "ops/linalg/linalg.h"

namespace lathe::linalg {

// a must be f32 or f64 with ndim >= 2 (and square when `square`): "[op] a must be ...".
void check_matrix(const char* op, const Tensor& a, bool square);

// The batch axes of a matrix batch [.., m, n], and a batch shape with [rows, cols] appended.
Shape batch_shape(const Tensor& a);
Shape matrix_shape(Shape batch, int64_t rows, int64_t cols);

Tensor mT(const Tensor& x);                 // transpose of the last two axes
Tensor sym(const Tensor& x);                // (x + x^T) / 2
Tensor eye(int64_t n, const Tensor& like);  // [n, n] of like's dtype and device
Tensor diag_embed(const Tensor& v);  // [.., n] -> [.., n, n]
// num / den, and 0 where both are exactly 0 (an absent gradient stays absent instead of
// becoming 0/0 at repeated eigen- or singular values; a nonzero num / 0 stays inf, as torch).
Tensor div_nonzero(const Tensor& num, const Tensor& den);

// Runs a linear-algebra kernel (backends/linalg.h) with `backward` as the node's rule. A backend
// without the kernel gets the reference backend's: inputs copied to the host and the results
// back, differentiably.
std::vector<Tensor> run_kernel(const FusedKernel& kernel, const FusedBackwardFn& backward);

}  // namespace lathe::linalg
