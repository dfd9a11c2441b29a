// What every primitive file includes: the composite kit with autograd recording and kernel
// dispatch (ops/custom_op.h: primitives own their backward rules), and the registry shapes and
// kernel helpers the primitives share.
#pragma once

#include "ops/custom_op.h"

namespace lathe {

// Registry entries of the common shapes: y = fn(x) and y = fn(a, b).
OpDef unary_def(const char* name, const char* summary, Tensor (*fn)(const Tensor&));
OpDef binary_def(const char* name, const char* summary,
                 Tensor (*fn)(const Tensor&, const Tensor&), Kind kind = Kind::floating);

// Keepdim shape of x reduced over `mask` (reduced axes become 1).
Shape keepdim_shape(const Shape& shape, uint32_t mask);

}  // namespace lathe

namespace lathe {

// Runs the backend reduction `k` of x over `mask` into a new tensor of the keepdim shape and
// dtype `out_dtype`.
Tensor reduce_kernel(const char* op, lathe_reduce_op k, const Tensor& x, uint32_t mask,
                     DType out_dtype);

// Drops the reduced axes of a keepdim-shaped result (a view).
Tensor drop_axes(const Tensor& y, uint32_t mask);

}  // namespace lathe
