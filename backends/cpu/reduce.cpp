// Reductions of the cpu backend. Contiguous inputs reduced over trailing axes (rows: softmax
// denominators, per-sample losses) or over leading axes (columns: bias gradients, batch means)
// run as vectorized loops over a 2-D view [outer, inner]; other layouts use the reference loops.
#include <cmath>
#include <vector>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

namespace lathe_cpu {

namespace {

bool contiguous(const lathe_view* v) {
  int64_t expected = 1;
  for (int d = v->ndim - 1; d >= 0; --d) {
    if (v->shape[d] != 1 && v->strides[d] != expected) return false;
    expected *= v->shape[d];
  }
  return true;
}

// The layout of a reduction: [rows, cols] where either the cols (trailing axes) or the rows
// (leading axes) are reduced.
struct Plan {
  enum Kind { rows_reduced_last, cols_reduced_first, other } kind = other;
  int64_t rows = 1, cols = 1;
};

Plan plan(const lathe_view* in, uint32_t axes) {
  Plan p;
  if (!contiguous(in)) return p;
  // Ignore extent-1 dims; find whether reduced dims form a trailing or leading block.
  int first_reduced = -1, last_kept = -1, first_kept = -1, last_reduced = -1;
  for (int d = 0; d < in->ndim; ++d) {
    if (in->shape[d] == 1) continue;
    bool r = axes & (1u << d);
    if (r && first_reduced < 0) first_reduced = d;
    if (r) last_reduced = d;
    if (!r && first_kept < 0) first_kept = d;
    if (!r) last_kept = d;
  }
  int64_t reduced = 1, kept = 1;
  for (int d = 0; d < in->ndim; ++d) ((axes & (1u << d)) ? reduced : kept) *= in->shape[d];
  if (first_reduced < 0 || last_kept < first_reduced) {  // reduced block at the end (or none)
    p.kind = Plan::rows_reduced_last;
    p.rows = kept;
    p.cols = reduced;
  } else if (first_kept < 0 || last_reduced < first_kept) {  // reduced block at the front
    p.kind = Plan::cols_reduced_first;
    p.rows = reduced;
    p.cols = kept;
  }
  return p;
}

template <typename T>
LATHE_CPU_CLONES T row_sum(const T* x, int64_t n) {
  // Eight partial sums: vectorizes, and sums long rows more accurately than one accumulator.
  T acc[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += x[i + k];
  T total = 0;
  for (; i < n; ++i) total += x[i];
  for (int k = 0; k < 8; ++k) total += acc[k];
  return total;
}

template <typename T>
T row_extreme(const T* x, int64_t n, bool is_max) {
  T best = x[0];
  for (int64_t i = 1; i < n; ++i) {
    T v = x[i];
    if (v != v) return v;
    if (is_max ? v > best : v < best) best = v;
  }
  return best;
}

template <typename T>
int64_t row_arg(const T* x, int64_t n, bool is_max) {
  int64_t best = 0;
  for (int64_t i = 0; i < n; ++i) {
    T v = x[i];
    if (v != v) return i;
    if (is_max ? v > x[best] : v < x[best]) best = i;
  }
  return best;
}

template <typename T>
LATHE_CPU_CLONES void column_accumulate(lathe_reduce_op op, T* out, const T* x, int64_t n) {
  switch (op) {
    case LATHE_REDUCE_SUM:
      for (int64_t j = 0; j < n; ++j) out[j] += x[j];
      break;
    case LATHE_REDUCE_MAX:
      for (int64_t j = 0; j < n; ++j)
        out[j] = (out[j] != out[j] || x[j] != x[j]) ? out[j] + x[j] : (x[j] > out[j] ? x[j] : out[j]);
      break;
    default:
      for (int64_t j = 0; j < n; ++j)
        out[j] = (out[j] != out[j] || x[j] != x[j]) ? out[j] + x[j] : (x[j] < out[j] ? x[j] : out[j]);
      break;
  }
}

template <typename T>
void reduce_typed(lathe_reduce_op op, const Plan& p, const T* x, void* out) {
  bool is_max = op == LATHE_REDUCE_MAX || op == LATHE_REDUCE_ARGMAX;
  if (p.kind == Plan::rows_reduced_last) {
    parallel_for(p.rows, p.cols, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const T* row = x + r * p.cols;
        if (op == LATHE_REDUCE_SUM)
          static_cast<T*>(out)[r] = row_sum(row, p.cols);
        else if (op == LATHE_REDUCE_MAX || op == LATHE_REDUCE_MIN)
          static_cast<T*>(out)[r] = row_extreme(row, p.cols, is_max);
        else
          static_cast<int64_t*>(out)[r] = row_arg(row, p.cols, is_max);
      }
    });
    return;
  }
  // Columns: each thread owns a slice of the kept columns and sweeps every row over it.
  T* o = static_cast<T*>(out);
  parallel_for(p.cols, p.rows, [&](int64_t c0, int64_t c1) {
    for (int64_t j = c0; j < c1; ++j) o[j] = op == LATHE_REDUCE_SUM ? T(0) : x[j];
    for (int64_t r = op == LATHE_REDUCE_SUM ? 0 : 1; r < p.rows; ++r)
      column_accumulate(op, o + c0, x + r * p.cols + c0, c1 - c0);
  });
}

}  // namespace

lathe_status reduce(int32_t device, lathe_reduce_op op, const lathe_view* in,
                    const lathe_view* out, uint32_t axes) {
  Plan p = plan(in, axes);
  bool arg = op == LATHE_REDUCE_ARGMAX || op == LATHE_REDUCE_ARGMIN;
  bool usable = p.kind != Plan::other && contiguous(out) && p.cols > 0 && p.rows > 0 &&
                (in->dtype == LATHE_F32 || in->dtype == LATHE_F64) &&
                (arg ? out->dtype == LATHE_I64 && p.kind == Plan::rows_reduced_last
                     : out->dtype == in->dtype);
  if (!usable) return from_reference(reference()->reduce(device, op, in, out, axes));
  if (in->dtype == LATHE_F32)
    reduce_typed(op, p, static_cast<const float*>(in->data), out->data);
  else
    reduce_typed(op, p, static_cast<const double*>(in->data), out->data);
  return LATHE_OK;
}

}  // namespace lathe_cpu
