// N-d index iterator shared by every kernel of the reference backend.
#ifndef LATHE_REFERENCE_STRIDED_H
#define LATHE_REFERENCE_STRIDED_H

#include <stdint.h>

#include "../backend.h"

namespace lathe_reference {

// Walks every index of a shape in row-major order, like an odometer, and keeps for each
// registered set of strides the element offset of the current index. Strides may be 0
// (broadcast) or negative; a shape with an extent of 0 yields no index, a 0-d shape one.
//
//   StridedIter it(out->ndim, out->shape);
//   it.add(in->strides);   // offset[0]
//   it.add(out->strides);  // offset[1]
//   for (; !it.done; it.next()) { ... it.offset[0] ... it.offset[1] ... }
struct StridedIter {
  static constexpr int kMaxViews = 4;

  int32_t ndim;
  int64_t shape[LATHE_MAX_DIMS];
  int64_t index[LATHE_MAX_DIMS];
  int nviews = 0;
  int64_t strides[kMaxViews][LATHE_MAX_DIMS];
  int64_t offset[kMaxViews];
  bool done = false;

  StridedIter(int32_t ndim_, const int64_t* shape_) : ndim(ndim_) {
    for (int32_t d = 0; d < ndim; ++d) {
      shape[d] = shape_[d];
      index[d] = 0;
      if (shape[d] == 0) done = true;
    }
  }

  // Registers one stride per dim; its offsets are offset[n] for the n-th call, starting at 0.
  void add(const int64_t* strides_) {
    for (int32_t d = 0; d < ndim; ++d) strides[nviews][d] = strides_[d];
    offset[nviews] = 0;
    ++nviews;
  }

  // Moves to the next index; only the dims that roll over are touched.
  void next() {
    for (int32_t d = ndim - 1; d >= 0; --d) {
      ++index[d];
      for (int v = 0; v < nviews; ++v) offset[v] += strides[v][d];
      if (index[d] < shape[d]) return;
      for (int v = 0; v < nviews; ++v) offset[v] -= strides[v][d] * shape[d];
      index[d] = 0;
    }
    done = true;
  }
};

}  // namespace lathe_reference

#endif  // LATHE_REFERENCE_STRIDED_H
