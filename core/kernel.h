// The thin layer between ops and backends: pick the backend of the operands (all on one device),
// allocate outputs, hand over views, and turn a failed status into a lathe::Error naming the op.
// No autograd here: primitives call these and then record() their backward rule.
#pragma once

#include <initializer_list>
#include <vector>

#include "core/backend_registry.h"
#include "core/tensor.h"

namespace lathe::kernel {

// The backend all `tensors` live on; throws "[op] expected tensors on one device, got ..." when
// they differ.
const Backend& backend_for(const char* op, std::initializer_list<Tensor> tensors);

// A new contiguous tensor (no autograd) on `device`.
Tensor empty(const Shape& shape, DType dtype, Device device);

// out = kernel(x) elementwise; out has x's shape and dtype (NOT: bool).
Tensor unary(const char* op, lathe_unary_op k, const Tensor& x, double a = 0, double b = 0);

// out = a kernel b with broadcasting; a and b are cast to `compute` first; out has `out_dtype`.
Tensor binary(const char* op, lathe_binary_op k, const Tensor& a, const Tensor& b, DType compute,
              DType out_dtype);

// dst[...] = src broadcast to dst's shape, converting dtype. dst may be a strided view.
void copy(const char* op, const Tensor& src, const Tensor& dst);

// A contiguous copy of x converted to `dtype` (x itself when it already is both).
Tensor contiguous_as(const char* op, const Tensor& x, DType dtype);

void fill(const char* op, const Tensor& dst, double value);

// Optional fused kernels (backend.h: supports / run_fused). If the operands' backend accepts fused
// kernel `op` for these inputs, allocates the outputs (shape and dtype each), runs it and returns
// them; otherwise returns an empty vector and the caller computes its composite. The meaning of
// inputs, outputs and attrs of each fused op is documented beside the op that issues it.
struct OutputSpec {
  Shape shape;
  DType dtype;
};
std::vector<Tensor> fused(const char* op, const std::vector<Tensor>& inputs,
                          const std::vector<OutputSpec>& outputs, const std::vector<double>& attrs);

}  // namespace lathe::kernel
