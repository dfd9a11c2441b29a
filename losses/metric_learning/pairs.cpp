// The embedding losses' batch kit (pairs.h): masks, GEMM distances, masked log-sum-exp, mining.
#include "losses/metric_learning/pairs.h"

#include <limits>

#include "ops/composite.h"

namespace lathe::pairs {

namespace {
const double kInf = std::numeric_limits<double>::infinity();

double machine_eps(DType t) {
  switch (t) {
    case DType::f64: return std::numeric_limits<double>::epsilon();
    case DType::f16: return 9.765625e-4;
    case DType::bf16: return 7.8125e-3;
    default: return std::numeric_limits<float>::epsilon();
  }
}
}  // namespace

// The inner where keeps the untaken branch finite, so no inf * 0 = NaN in the backward.
Tensor safe_sqrt(const Tensor& s) {
  Tensor pos = gt(s, 0.0);
  return where(pos, sqrt(where(pos, s, 1.0)), 0.0);
}

void check_embeddings(const char* op, const char* name, const Tensor& x, int ndim) {
  check_floating(op, name, x);
  check_dim(op, name, x, ndim);
}

void check_labels(const char* op, const char* name, const Tensor& labels, int64_t n) {
  LATHE_CHECK(labels.defined(), "[", op, "] ", name, " is missing");
  LATHE_CHECK(is_integral(labels.dtype()), "[", op, "] ", name,
              " must be integers (class indices), got ", dtype_name(labels.dtype()));
  LATHE_CHECK(labels.shape() == Shape{n}, "[", op, "] ", name, " must have shape [", n,
              "], got ", labels.shape());
}

void check_label_range(const char* op, const Tensor& labels, int64_t classes,
                       const char* name) {
  for (int64_t y : cast(labels, DType::i64).cpu().to_vector<int64_t>())
    LATHE_CHECK(y >= 0 && y < classes, "[", op, "] ", name, " must lie in [0, ", classes,
                "), got ", y);
}

void check_positive(const char* op, const char* name, double v) {
  LATHE_CHECK(v > 0, "[", op, "] ", name, " must be > 0, got ", v);
}

Tensor same_label(const Tensor& labels, const Tensor& ref) {
  return eq(unsqueeze(labels, 1), unsqueeze(ref, 0));  // [B, R]
}

Tensor not_self(int64_t n, Device device) {
  Tensor i = arange(n, DType::i64, device);
  return ne(unsqueeze(i, 1), unsqueeze(i, 0));  // [B, B]
}

Tensor positive_mask(const Tensor& labels) {
  return logical_and(same_label(labels, labels), not_self(labels.size(0), labels.device()));
}

Tensor negative_mask(const Tensor& labels) {
  return ne(unsqueeze(labels, 1), unsqueeze(labels, 0));  // [B, B]
}

Tensor l2_normalize(const Tensor& x) {
  Tensor norm = safe_sqrt(sum(x * x, {-1}, true));  // [.., 1]
  return x / maximum(norm, 1e-12);
}

Tensor squared_distances(const Tensor& a, const Tensor& b, bool self_pairs) {
  Tensor aa = sum(a * a, {1}, true);                    // [B, 1]
  Tensor bb = unsqueeze(sum(b * b, {1}), 0);            // [1, R]
  Tensor scale = (aa + bb).detach();                    // [B, R]
  Tensor sq = aa + bb - 2.0 * matmul(a, b.t());         // [B, R]
  Tensor keep = gt(sq.detach(), 4.0 * machine_eps(sq.dtype()) * scale);
  if (self_pairs) keep = logical_and(keep, not_self(a.size(0), a.device()));
  // sq - sq.detach() is exactly 0 but keeps the derivatives of ||a - b||^2 (second order too).
  sq = where(keep, sq, sq - sq.detach());
  return sq;
}

Tensor distances(const Tensor& a, const Tensor& b, bool self_pairs) {
  return safe_sqrt(squared_distances(a, b, self_pairs));  // [B, R]
}

Tensor masked_logsumexp(const Tensor& x, const Tensor& mask, int64_t axis, bool add_one) {
  Tensor any = gt(count(mask, axis, DType::f64), 0.0);      // keepdim
  // Rows with no entry compute logsumexp of zeros (finite) and are then replaced by 0.
  Tensor xm = where(any, where(mask, x, -kInf), 0.0);
  if (add_one) {
    Shape one = xm.shape();
    one[axis < 0 ? axis + xm.dim() : axis] = 1;
    xm = concat({xm, zeros(one, xm.dtype(), xm.device())}, axis);
  }
  return where(any, logsumexp(xm, {axis}, true), 0.0);
}

Tensor count(const Tensor& mask, int64_t axis, DType dtype) {
  return sum(cast(mask, dtype), {axis}, true);
}

Tensor hardest_index(const Tensor& x, const Tensor& mask, bool largest, Tensor* any) {
  Tensor v = where(mask, x.detach(), largest ? -kInf : kInf);  // [B, R]
  if (any) *any = gt(squeeze(count(mask, 1, DType::f64), {1}), 0.0);
  return largest ? argmax(v, 1) : argmin(v, 1);
}

Tensor take_rows(const Tensor& x, const Tensor& index) {
  return squeeze(gather(x, unsqueeze(index, 1), 1), {1});  // [B]
}

Tensor zero_with_graph(const Tensor& x) { return sum(x) * 0.0; }

Tensor masked_mean(const Tensor& values, const Tensor& keep) {
  Tensor n = sum(cast(keep, values.dtype()));
  return sum(where(keep, values, 0.0)) / maximum(n, 1.0);
}

}  // namespace lathe::pairs
