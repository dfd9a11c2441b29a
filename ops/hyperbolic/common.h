// Shared pieces of the Poincare-ball ops (ops/hyperbolic/): the curvature check, row norms
// and pmath's clamped tanh and artanh.
#pragma once

#include "ops/composite.h"

namespace lathe::hyperbolic {

// Throws "[op] c must be > 0" (and finite).
void check_curvature(const char* op, double c);

// Squared norm of each row: [..., 1] from [..., D].
Tensor sq_norm(const Tensor& x);
// Norm of each row with PyTorch's gradient 0 at a zero row (sqrt's is infinite there: the
// double where keeps NaN out of the backward).
Tensor row_norm(const Tensor& x);
// max(|x|, 1e-5) per row, pmath's clamp_min(norm, 1e-5): written as sqrt(max(|x|^2, 1e-10)),
// the same value, gradient 0 below the clamp and no 0/0 at a zero row.
Tensor clamped_norm(const Tensor& x);

// pmath's Artanh: the input clamped to +-(1 - 1e-5), backward g / (1 - z^2) on the clamped z
// even where the clamp is active (the clamp is inside its autograd.Function, so no zero
// gradient from it): a straight-through clamp, then atanh.
Tensor artanh_clamped(const Tensor& x);

// pmath's tanh(x, clamp=15): tanh of x clamped to +-15 (zero gradient where clamped).
Tensor tanh_clamped(const Tensor& x);

// The Mobius addition without checks (mobius_add checks and calls it).
Tensor mobius_add_rows(const Tensor& x, const Tensor& y, double c);

}  // namespace lathe::hyperbolic
