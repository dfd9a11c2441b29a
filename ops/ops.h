// The public tensor ops: primitives (ops/prim/, each owning a backward rule) and general tensor
// composites (ops/nn/, built from primitives, no backward code); the neural-network composites
// are in ops/nn/nn.h. docs/ops-core.md lists their registry names, inputs and attributes.
// Tensors come first, then options.
#pragma once

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "ops/special/special.h"  // special functions, index ops, distances (issue 14)

namespace lathe {

// ---- elementwise unary ----
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor sign(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);
Tensor erf(const Tensor& x);
Tensor clamp(const Tensor& x, double min = -std::numeric_limits<double>::infinity(),
             double max = std::numeric_limits<double>::infinity());
Tensor cast(const Tensor& x, DType dtype);

// ---- elementwise binary (NumPy broadcasting, dtype promotion) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, double exponent);
Tensor maximum(const Tensor& a, double b);
Tensor minimum(const Tensor& a, double b);
Tensor where(const Tensor& cond, const Tensor& a, double b);
Tensor where(const Tensor& cond, double a, const Tensor& b);

// comparisons and logic: bool results, no gradient
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor eq(const Tensor& a, double b);
Tensor ne(const Tensor& a, double b);
Tensor lt(const Tensor& a, double b);
Tensor le(const Tensor& a, double b);
Tensor gt(const Tensor& a, double b);
Tensor ge(const Tensor& a, double b);
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& x);

Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);

// A 0-d tensor holding `value` with the dtype and device of `like` (how scalars enter ops).
Tensor scalar_like(double value, const Tensor& like);

// ---- reductions (axes empty = all axes) ----
Tensor sum(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
// Like torch.amax/amin: tied maxima share the gradient evenly.
Tensor max(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
Tensor min(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
Tensor logsumexp(const Tensor& x, const Axes& axes = {}, bool keepdim = false);
Tensor argmax(const Tensor& x, int64_t axis = -1, bool keepdim = false);
Tensor argmin(const Tensor& x, int64_t axis = -1, bool keepdim = false);
Tensor cumsum(const Tensor& x, int64_t axis = -1, bool reverse = false);
// Stable sort along axis: {values, indices (i64)}.
std::pair<Tensor, Tensor> sort(const Tensor& x, int64_t axis = -1, bool descending = false);
std::pair<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t axis = -1, bool largest = true);

// ---- linear algebra and indexing ----
Tensor matmul(const Tensor& a, const Tensor& b);  // torch.matmul rules
Tensor gather(const Tensor& x, const Tensor& index, int64_t axis);
Tensor scatter_add(const Tensor& x, const Tensor& index, const Tensor& src, int64_t axis);
Tensor index_select(const Tensor& x, const Tensor& index, int64_t axis);
Tensor concat(const std::vector<Tensor>& xs, int64_t axis = 0);
Tensor stack(const std::vector<Tensor>& xs, int64_t axis = 0);
// pads in F.pad order: (last_lo, last_hi, prev_lo, prev_hi, ...), constant value.
Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, double value = 0.0);
Tensor one_hot(const Tensor& labels, int64_t num_classes = -1);

// ---- views and copies ----
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor permute(const Tensor& x, const Axes& dims);
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
Tensor expand(const Tensor& x, const Shape& shape);
Tensor slice(const Tensor& x, int64_t axis, int64_t start, int64_t end = kEnd, int64_t step = 1);
Tensor narrow(const Tensor& x, int64_t axis, int64_t start, int64_t length);
Tensor slice_scatter(const Tensor& x, const Tensor& src, int64_t axis, int64_t start,
                     int64_t end = kEnd, int64_t step = 1);
Tensor squeeze(const Tensor& x, const Axes& axes = {});
Tensor unsqueeze(const Tensor& x, int64_t axis);
Tensor clone(const Tensor& x);
Tensor to_device(const Tensor& x, Device device);

}  // namespace lathe
