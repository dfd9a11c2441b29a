// gather, scatter_add and index_select under the name of the public op that uses them, so that a
// bad index reads "[embedding] index 7 out of range [0, 5)" rather than naming an inner
// primitive. Backends only report that some index was out of range (LATHE_ERR_INDEX); the
// offending value is then found on the host, off the fast path, so every backend gives the same
// message.
#pragma once

#include "core/tensor.h"

namespace lathe {

Tensor gather_as(const char* op, const Tensor& x, const Tensor& index, int64_t axis);
Tensor scatter_add_as(const char* op, const Tensor& x, const Tensor& index, const Tensor& src,
                      int64_t axis);
Tensor index_select_as(const char* op, const Tensor& x, const Tensor& index, int64_t axis);

}  // namespace lathe
