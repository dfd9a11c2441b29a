// Box geometry the box losses share (giou_loss, iou_aware_loss): corners of (cx, cy, w, h)
// boxes and the intersection of matched pairs, as DETR's box utilities compute them, so that
// PyTorch's subgradients (maximum/minimum split ties in half, clamp passes at its bound) hold.
// Internal to losses/regression.
#pragma once

#include <array>

#include "ops/composite.h"

namespace lathe {

// Corners (x0, y0, x1, y1) = (cx -+ w/2, cy -+ h/2) of boxes [N, 4], each [N].
inline std::array<Tensor, 4> box_corners(const Tensor& b) {
  int64_t n = b.shape()[0];
  auto col = [&](int64_t i) { return reshape(narrow(b, 1, i, 1), {n}); };
  Tensor cx = col(0), cy = col(1), hw = 0.5 * col(2), hh = 0.5 * col(3);
  return {cx - hw, cy - hh, cx + hw, cy + hh};
}

// Area of corners [N].
inline Tensor box_area(const std::array<Tensor, 4>& c) { return (c[2] - c[0]) * (c[3] - c[1]); }

// Intersection area of matched corner pairs, [N].
inline Tensor box_intersection(const std::array<Tensor, 4>& p, const std::array<Tensor, 4>& g) {
  return clamp(minimum(p[2], g[2]) - maximum(p[0], g[0]), 0.0) *
         clamp(minimum(p[3], g[3]) - maximum(p[1], g[1]), 0.0);
}

// "[op] name must be boxes [N, 4] (cx, cy, w, h)".
inline void check_boxes(const char* op, const char* name, const Tensor& b) {
  check_floating(op, name, b);
  LATHE_CHECK(b.dim() == 2 && b.shape()[1] == 4, "[", op, "] ", name,
              " must be boxes [N, 4] (cx, cy, w, h), got ", b.shape());
}

}  // namespace lathe
