// Internal helpers of the segmentation family (not public: not in lathe.h): the checks every
// dense loss repeats and TopoMortar's negative Dice, which four of its losses share.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "ops/ops.h"

namespace lathe {
namespace seg {

// "[op] name must be [B, C, spatial...] (at least min_dim dims), got [..]".
void check_dense(const char* op, const char* name, const Tensor& t, int min_dim = 3);

// "[op] name must lie in [0, 1] (probabilities), got values in [lo, hi]" (read on the host).
void check_probabilities(const char* op, const char* name, const Tensor& t);

// The spatial axes 2, 3, ... of a [B, C, spatial...] tensor.
Axes spatial_axes(const Tensor& t);

// TopoMortar's _dice_loss: -mean_{b,k} w_k (2 sum PG + 1e-5) / max(sum G + sum P + 1e-5, 1e-8)
// over the spatial axes of p and g [B, C, spatial...]; w [C] or undefined (ones).
Tensor negative_dice(const Tensor& p, const Tensor& g, const Tensor& w = Tensor());

// Euclidean distance of every nonzero element of a row-major grid `dims` (2-D or 3-D) to the
// nearest zero element, 0 at zero elements (scipy/MONAI distance_transform_edt), exact
// (Felzenszwalb & Huttenlocher's squared 1-D transform along each axis). Without any zero the
// values are huge (callers clip them).
std::vector<double> distance_transform(const std::vector<double>& img,
                                       const std::vector<int64_t>& dims);

}  // namespace seg
}  // namespace lathe
