// What every primitive file includes: autograd recording, kernel dispatch, the registry, and a
// few checks and registry shapes the elementwise primitives share.
#pragma once

#include "core/autograd.h"
#include "core/kernel.h"
#include "core/registry.h"
#include "ops/ops.h"

namespace lathe {

// Throws "[op] expected a floating tensor, got i64" for non-float inputs.
void check_floating(const char* op, const Tensor& x);

// The dtype a float-valued binary op computes in: promote(a, b), and f32 when both are
// integral or bool.
DType float_result(const Tensor& a, const Tensor& b);

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

// Registry entry of a reduction y = fn(x, axes, keepdim).
OpDef reduction_def(const char* name, const char* summary,
                    Tensor (*fn)(const Tensor&, const Axes&, bool), Kind kind = Kind::floating,
                    const char* family = "prim");

}  // namespace lathe
