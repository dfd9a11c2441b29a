// The projection of AdamP and SGDP (Heo et al., "AdamP: Slowing Down the Slowdown for Momentum
// Optimizers on Scale-invariant Weights", ICLR 2021, https://arxiv.org/abs/2006.08217; official
// code clovaai/AdamP). Only for parameters with more than one dimension:
//   for view in (channel: [p.size(0), -1], layer: [1, -1]):
//     cos_r = |<g_r, p_r>| / (max(|g_r|, eps) * max(|p_r|, eps))      per row r of the view
//     if max_r cos_r < delta / sqrt(row length):                      (p looks scale-invariant)
//       p^_r = p_r / (|p_r| + eps)
//       d_r = d_r - p^_r * <p^_r, d_r>                                (drop the radial part)
//       return wd_ratio                                               (first view that triggers)
//   return 1
// The test uses the raw gradient g, not the update direction d. The per-norm eps clamp is what
// PyTorch 1.13's cosine_similarity does; it only matters for rows with a (near) zero norm, e.g.
// an all-zero gradient, whose cosine is 0 (so the channel view triggers).
#pragma once

#include "core/tensor.h"

namespace lathe::optim::detail {

// Projects `direction` (shaped like param) in place; returns the weight-decay factor.
double project_scale_invariant(const Tensor& param, const Tensor& grad, Tensor& direction,
                               double delta, double wd_ratio, double eps);

}  // namespace lathe::optim::detail
