// The log-domain Sinkhorn update as one op a backend may fuse (issue 19): the softmin of a cost
// matrix along one axis, with a fused cpu kernel that never materializes an [N, M] intermediate
// and the composite of public ops as its fallback and reference (like ops/nn/conv_grad.h).
// Used by sinkhorn_divergence; a detail of the divergence family until it is promoted.
#pragma once

#include "core/tensor.h"
#include "losses/divergence/divergence.h"

namespace lathe {

// axis 1: c [N, M], h [M] -> out [N], out_i = -eps LSE_j(h_j - c_ij / eps);
// axis 0: c [N, M], h [N] -> out [M], out_j = -eps LSE_i(h_i - c_ij / eps) (the update of the
// other cloud's potential on the same cost, with no transpose). Differentiable in c and h, to
// any order (the gradient is itself written with public ops when a graph is asked for).
// fusable = false runs the composite on every backend (the reference the fused kernel is tested
// and benchmarked against).
Tensor sinkhorn_softmin(const Tensor& c, const Tensor& h, double eps, int axis,
                        bool fusable = true);

// sinkhorn_divergence with every update on the composite (fusable = false above): the same
// values and gradients, with the composite's [N, M] temporaries (tests and `lathe bench`).
Tensor sinkhorn_divergence_composite(const Tensor& x, const Tensor& y,
                                     const SinkhornDivergenceOptions& options = {});

}  // namespace lathe
