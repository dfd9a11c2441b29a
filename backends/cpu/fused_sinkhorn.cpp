// The log-domain Sinkhorn update of the cpu backend (contract in
// losses/divergence/sinkhorn_softmin.cpp): for a cost c [R, K] and axis 1 (h [K], out [R])
//   out_r = -eps LSE_k(h_k - c_rk / eps)
// or axis 0 (h [R], out [K]) the same over r; and its gradient given g (out's shape), with
//   P = exp(h - c / eps + out / eps) (softmax along the reduced axis),
//   grad_c = g P (broadcast along the reduced axis), grad_h = -eps (sum of grad_c over the kept
//   axis).
// Neither kernel materializes an [R, K] intermediate: each works one row of c at a time in a
// K-sized buffer (axis 1), or keeps a running maximum and sum per output over the rows of c
// (axis 0, so c is read along its rows and never transposed). The only [R, K] buffer written is
// grad_c, and only when the caller asks for it (a second output). Two passes over c (maximum,
// then the sum of exponentials) rather than an online rescaling: one exp per element.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

namespace lathe_cpu {

namespace {

constexpr int64_t kColumnBlock = 256;  // outputs per task of the axis-0 kernels

struct SoftminShape {
  int64_t rows = 0, cols = 0;  // c [rows, cols]
  int axis = 1;
  bool grad_c = false;  // the backward's second output
};

// Views: forward {c, h} -> {out}; backward {c, h, out, g} -> {grad_h[, grad_c]}, one float
// dtype, contiguous, attrs {eps > 0, axis 0 or 1}.
bool softmin_matches(lathe_fused_op op, const lathe_fused_call* call, SoftminShape* s) {
  bool fwd = op == LATHE_FUSED_SINKHORN_SOFTMIN, bwd = op == LATHE_FUSED_SINKHORN_SOFTMIN_BACKWARD;
  if (!(fwd || bwd) || call->n_attrs != 2 || !(call->attrs[0] > 0)) return false;
  if (call->n_inputs != (fwd ? 2 : 4)) return false;
  if (fwd ? call->n_outputs != 1 : (call->n_outputs != 1 && call->n_outputs != 2)) return false;
  const lathe_view& c = call->inputs[0];
  if (c.ndim != 2 || (c.dtype != LATHE_F32 && c.dtype != LATHE_F64)) return false;
  s->rows = c.shape[0];
  s->cols = c.shape[1];
  s->axis = call->attrs[1] == 0 ? 0 : 1;
  s->grad_c = bwd && call->n_outputs == 2;
  int64_t kept = s->axis == 1 ? s->rows : s->cols, reduced = s->axis == 1 ? s->cols : s->rows;
  auto vec_ok = [&](const lathe_view& v, int64_t n) {
    return v.dtype == c.dtype && v.ndim == 1 && v.shape[0] == n && (n < 2 || v.strides[0] == 1);
  };
  auto mat_ok = [&](const lathe_view& v) {
    return v.dtype == c.dtype && v.ndim == 2 && v.shape[0] == s->rows &&
           v.shape[1] == s->cols && (s->rows * s->cols == 0 ||
                                     ((s->cols < 2 || v.strides[1] == 1) &&
                                      (s->rows < 2 || v.strides[0] == s->cols)));
  };
  if (!mat_ok(c) || !vec_ok(call->inputs[1], reduced)) return false;
  if (fwd) return vec_ok(call->outputs[0], kept);
  return vec_ok(call->inputs[2], kept) && vec_ok(call->inputs[3], kept) &&
         vec_ok(call->outputs[0], reduced) && (!s->grad_c || mat_ok(call->outputs[1]));
}

// axis 1: out_r = -eps LSE_k(h_k - c_rk / eps), one row of c at a time.
template <typename T>
void softmin_rows(const T* c, const T* h, T eps, T* out, int64_t rows, int64_t cols) {
  parallel_for(rows, cols * 4, [&](int64_t r0, int64_t r1) {
    std::vector<T> v(static_cast<size_t>(cols));
    T inv = T(1) / eps;
    for (int64_t r = r0; r < r1; ++r) {
      const T* cr = c + r * cols;
      for (int64_t k = 0; k < cols; ++k) v[k] = h[k] - cr[k] * inv;
      T m = row_maximum(v.data(), cols);
      if (m != m) {  // NaN in the row: NaN out, as the composite
        out[r] = m;
        continue;
      }
      T s = std::isfinite(m) ? exp_shift_sum(v.data(), m, static_cast<T*>(nullptr), cols) : T(1);
      out[r] = -eps * (m + std::log(s));
    }
  });
}

// axis 0: out_k = -eps LSE_r(h_r - c_rk / eps), a block of outputs per task, c read by rows.
template <typename T>
void softmin_cols(const T* c, const T* h, T eps, T* out, int64_t rows, int64_t cols) {
  int64_t blocks = (cols + kColumnBlock - 1) / kColumnBlock;
  parallel_for(blocks, rows * kColumnBlock * 4, [&](int64_t b0, int64_t b1) {
    std::vector<T> m(kColumnBlock), s(kColumnBlock), v(kColumnBlock);
    T inv = T(1) / eps;
    for (int64_t b = b0; b < b1; ++b) {
      int64_t k0 = b * kColumnBlock, w = std::min(kColumnBlock, cols - k0);
      std::fill(m.begin(), m.begin() + w, T(-INFINITY));
      std::fill(s.begin(), s.begin() + w, T(0));
      for (int64_t r = 0; r < rows; ++r) {
        const T* cr = c + r * cols + k0;
        for (int64_t j = 0; j < w; ++j) m[j] = std::max(m[j], h[r] - cr[j] * inv);
      }
      for (int64_t j = 0; j < w; ++j)
        if (!std::isfinite(m[j])) m[j] = T(0);  // all -inf: LSE = -inf, from log(0) below
      for (int64_t r = 0; r < rows; ++r) {
        const T* cr = c + r * cols + k0;
        for (int64_t j = 0; j < w; ++j) v[j] = h[r] - cr[j] * inv - m[j];
        exp_shift_sum(v.data(), T(0), v.data(), w);
        for (int64_t j = 0; j < w; ++j) s[j] += v[j];
      }
      for (int64_t j = 0; j < w; ++j) out[k0 + j] = -eps * (m[j] + std::log(s[j]));
    }
  });
}

// axis 1 backward: grad_c_rk = g_r P_rk, grad_h_k = -eps sum_r g_r P_rk. Rows are split into
// a fixed number of slices, each summing its own grad_h partial (deterministic).
template <typename T>
void softmin_rows_backward(const T* c, const T* h, const T* out, const T* g, T eps, T* grad_h,
                           T* grad_c, int64_t rows, int64_t cols) {
  int64_t slices = std::max<int64_t>(1, std::min<int64_t>(rows, 32));
  std::vector<T> partial(static_cast<size_t>(slices * cols), T(0));
  parallel_for(slices, (rows / slices + 1) * cols * 4, [&](int64_t s0, int64_t s1) {
    std::vector<T> v(static_cast<size_t>(cols));
    T inv = T(1) / eps;
    for (int64_t sl = s0; sl < s1; ++sl) {
      T* acc = partial.data() + sl * cols;
      for (int64_t r = sl * rows / slices; r < (sl + 1) * rows / slices; ++r) {
        const T* cr = c + r * cols;
        T* p = grad_c ? grad_c + r * cols : v.data();
        T shift = -out[r] * inv;  // LSE of the row
        for (int64_t k = 0; k < cols; ++k) p[k] = h[k] - cr[k] * inv;
        exp_shift_sum(p, shift, p, cols);
        for (int64_t k = 0; k < cols; ++k) {
          p[k] *= g[r];
          acc[k] += p[k];
        }
      }
    }
  });
  for (int64_t k = 0; k < cols; ++k) {
    T total = 0;
    for (int64_t sl = 0; sl < slices; ++sl) total += partial[sl * cols + k];
    grad_h[k] = -eps * total;
  }
}

// axis 0 backward: grad_c_rk = g_k P_rk with P_rk = exp(h_r - c_rk / eps + out_k / eps),
// grad_h_r = -eps sum_k grad_c_rk: one row of c at a time.
template <typename T>
void softmin_cols_backward(const T* c, const T* h, const T* out, const T* g, T eps, T* grad_h,
                           T* grad_c, int64_t rows, int64_t cols) {
  parallel_for(rows, cols * 4, [&](int64_t r0, int64_t r1) {
    std::vector<T> v(static_cast<size_t>(cols));
    T inv = T(1) / eps;
    for (int64_t r = r0; r < r1; ++r) {
      const T* cr = c + r * cols;
      T* p = grad_c ? grad_c + r * cols : v.data();
      for (int64_t k = 0; k < cols; ++k) p[k] = h[r] - cr[k] * inv + out[k] * inv;
      exp_shift_sum(p, T(0), p, cols);
      T total = 0;
      for (int64_t k = 0; k < cols; ++k) {
        p[k] *= g[k];
        total += p[k];
      }
      grad_h[r] = -eps * total;
    }
  });
}

template <typename T>
void run_softmin(lathe_fused_op op, const lathe_fused_call* call, const SoftminShape& s) {
  const T* c = static_cast<const T*>(call->inputs[0].data);
  const T* h = static_cast<const T*>(call->inputs[1].data);
  T eps = static_cast<T>(call->attrs[0]);
  T* out0 = static_cast<T*>(call->outputs[0].data);
  if (op == LATHE_FUSED_SINKHORN_SOFTMIN) {
    if (s.axis == 1)
      softmin_rows(c, h, eps, out0, s.rows, s.cols);
    else
      softmin_cols(c, h, eps, out0, s.rows, s.cols);
    return;
  }
  const T* out = static_cast<const T*>(call->inputs[2].data);
  const T* g = static_cast<const T*>(call->inputs[3].data);
  T* grad_c = s.grad_c ? static_cast<T*>(call->outputs[1].data) : nullptr;
  if (s.axis == 1)
    softmin_rows_backward(c, h, out, g, eps, out0, grad_c, s.rows, s.cols);
  else
    softmin_cols_backward(c, h, out, g, eps, out0, grad_c, s.rows, s.cols);
}

}  // namespace

bool sinkhorn_supports(lathe_fused_op op, const lathe_fused_call* call) {
  SoftminShape s;
  return softmin_matches(op, call, &s);
}

bool sinkhorn_run(lathe_fused_op op, const lathe_fused_call* call) {
  SoftminShape s;
  if (!softmin_matches(op, call, &s)) return false;
  if (call->inputs[0].dtype == LATHE_F32)
    run_softmin<float>(op, call, s);
  else
    run_softmin<double>(op, call, s);
  return true;
}

}  // namespace lathe_cpu
