// Fused layer_norm and rms_norm kernels of the cpu backend, forward and backward (contracts in
// ops/norm/layer_norm.cpp and ops/norm/rms_norm.cpp). Rows of D contiguous values; the
// forward reads each row twice (it stays in L1 between the passes) and writes it once; the
// backward reads g and x once and writes dx, with per-thread partial sums for the parameter
// gradients, reduced at the end.
#include <immintrin.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

namespace lathe_cpu {

namespace {

// Row kernels take __restrict pointers: their outputs never overlap their inputs (backend.h),
// and without the promise the compiler keeps the six-pointer loops scalar.
//
// Sums with eight independent partial sums: vectorizes (float addition is not associative, so
// a single accumulator would not), and is more accurate on long rows. Inlined into the callers,
// which are compiled for AVX2 where the CPU has it.
template <typename T, typename F>
inline T sum8(int64_t n, F term) {
  T acc[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += term(i + k);
  T total = 0;
  for (; i < n; ++i) total += term(i);
  for (int k = 0; k < 8; ++k) total += acc[k];
  return total;
}

// Copies a finished row to its output with non-temporal stores when the destination is 32-byte
// aligned: outputs of these sizes are not read again soon, and plain stores would first read
// every destination cache line (write-allocate), a third of the memory traffic.
__attribute__((target("avx2"))) void stream_row_avx2(float* dst, const float* src, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_stream_ps(dst + i, _mm256_loadu_ps(src + i));
  for (; i < n; ++i) dst[i] = src[i];
}

__attribute__((target("avx2"))) void stream_row_avx2(double* dst, const double* src, int64_t n) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_stream_pd(dst + i, _mm256_loadu_pd(src + i));
  for (; i < n; ++i) dst[i] = src[i];
}

template <typename T>
void store_row(T* dst, const T* src, int64_t n) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2 && reinterpret_cast<uintptr_t>(dst) % 32 == 0)
    stream_row_avx2(dst, src, n);
  else
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(T));
}

struct NormCall {
  int64_t rows = 0, d = 0;
  bool has_weight = false, has_bias = false;
};

template <typename T>
LATHE_CPU_CLONES void layer_norm_row(const T* __restrict x, const T* __restrict w,
                                     const T* __restrict b, T eps, int64_t d, T* __restrict y,
                                     T* mean_out, T* rstd_out) {
  T mean = sum8<T>(d, [x](int64_t i) { return x[i]; }) / T(d);
  T var = sum8<T>(d, [x, mean](int64_t i) { return (x[i] - mean) * (x[i] - mean); }) / T(d);
  T rstd = T(1) / std::sqrt(var + eps);
  if (w && b) {
    for (int64_t i = 0; i < d; ++i) y[i] = (x[i] - mean) * rstd * w[i] + b[i];
  } else if (w) {
    for (int64_t i = 0; i < d; ++i) y[i] = (x[i] - mean) * rstd * w[i];
  } else if (b) {
    for (int64_t i = 0; i < d; ++i) y[i] = (x[i] - mean) * rstd + b[i];
  } else {
    for (int64_t i = 0; i < d; ++i) y[i] = (x[i] - mean) * rstd;
  }
  *mean_out = mean;
  *rstd_out = rstd;
}

template <typename T>
LATHE_CPU_CLONES void rms_norm_row(const T* __restrict x, const T* __restrict w, T eps, int64_t d,
                                   T* __restrict y, T* rstd_out) {
  T rstd = T(1) / std::sqrt(sum8<T>(d, [x](int64_t i) { return x[i] * x[i]; }) / T(d) + eps);
  if (w) {
    for (int64_t i = 0; i < d; ++i) y[i] = x[i] * rstd * w[i];
  } else {
    for (int64_t i = 0; i < d; ++i) y[i] = x[i] * rstd;
  }
  *rstd_out = rstd;
}

// dx for one row, and the row's contribution to dweight and dbias (accumulated into dw, db).
// layer norm: x_hat = (x - mean) rstd, dx = rstd (gw - s1/D - x_hat s2/D) with gw = g w;
// rms norm (mean = 0, no s1 term): dx = rstd (gw - x_hat s2/D). w is never null (ones when the
// op has no weight) and db never null (scratch when it has no bias): the loops stay branch-free.
template <typename T>
LATHE_CPU_CLONES void norm_backward_row(const T* __restrict g, const T* __restrict x,
                                        const T* __restrict w, T mean, T rstd, bool centered,
                                        int64_t d, T* __restrict dx, T* __restrict dw,
                                        T* __restrict db) {
  T s1 = centered ? sum8<T>(d, [g, w](int64_t i) { return g[i] * w[i]; }) : T(0);
  T s2 = sum8<T>(d, [g, w, x, mean, rstd](int64_t i) { return g[i] * w[i] * ((x[i] - mean) * rstd); });
  T a = s1 / T(d), c = s2 / T(d);
  for (int64_t i = 0; i < d; ++i) {
    T x_hat = (x[i] - mean) * rstd;
    dx[i] = rstd * (g[i] * w[i] - a - x_hat * c);
    dw[i] += g[i] * x_hat;
    db[i] += g[i];
  }
}

// Runs body(r, dw, db, scratch) over all rows with per-thread partial parameter gradients and a
// row of scratch, then sums the partials into dweight and dbias (dbias may be null).
template <typename T, typename Body>
void rows_with_partials(int64_t rows, int64_t d, T* dweight, T* dbias, Body body) {
  int threads = (rows * d < kParallelGrain || omp_in_parallel()) ? 1 : omp_get_max_threads();
  std::vector<T> dw(static_cast<size_t>(threads * d), T(0)), db(dw.size(), T(0));
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t chunk = (rows + nt - 1) / nt, begin = t * chunk;
    int64_t end = begin + chunk < rows ? begin + chunk : rows;
    std::vector<T> scratch(static_cast<size_t>(d));
    for (int64_t r = begin; r < end; ++r)
      body(r, dw.data() + t * d, db.data() + t * d, scratch.data());
    _mm_sfence();  // each thread orders its own streamed rows
  }
  for (int64_t i = 0; i < d; ++i) {
    T s = 0, sb = 0;
    for (int t = 0; t < threads; ++t) {
      s += dw[t * d + i];
      sb += db[t * d + i];
    }
    dweight[i] = s;
    if (dbias) dbias[i] = sb;
  }
}

template <typename T>
void run_norm(lathe_fused_op op, const lathe_fused_call* c, const NormCall& n) {
  auto in = [c](int i) { return static_cast<const T*>(c->inputs[i].data); };
  auto out = [c](int i) { return static_cast<T*>(c->outputs[i].data); };
  int64_t d = n.d;
  if (op == LATHE_FUSED_LAYER_NORM) {
    const T* w = n.has_weight ? in(1) : nullptr;
    const T* b = n.has_bias ? in(n.has_weight ? 2 : 1) : nullptr;
    T eps = static_cast<T>(c->attrs[0]);
    parallel_for(n.rows, d * 3, [&](int64_t r0, int64_t r1) {
      std::vector<T> row(static_cast<size_t>(d));
      for (int64_t r = r0; r < r1; ++r) {
        layer_norm_row(in(0) + r * d, w, b, eps, d, row.data(), out(1) + r, out(2) + r);
        store_row(out(0) + r * d, row.data(), d);
      }
      _mm_sfence();  // each thread orders its own streamed rows
    });
  } else if (op == LATHE_FUSED_RMS_NORM) {
    const T* w = n.has_weight ? in(1) : nullptr;
    T eps = static_cast<T>(c->attrs[0]);
    parallel_for(n.rows, d * 3, [&](int64_t r0, int64_t r1) {
      std::vector<T> row(static_cast<size_t>(d));
      for (int64_t r = r0; r < r1; ++r) {
        rms_norm_row(in(0) + r * d, w, eps, d, row.data(), out(1) + r);
        store_row(out(0) + r * d, row.data(), d);
      }
      _mm_sfence();
    });
  } else if (op == LATHE_FUSED_LAYER_NORM_BACKWARD) {  // g, x, [w], mean, rstd
    std::vector<T> ones(n.has_weight ? 0 : static_cast<size_t>(d), T(1));
    const T* w = n.has_weight ? in(2) : ones.data();
    int s = n.has_weight ? 3 : 2;
    const T *mean = in(s), *rstd = in(s + 1);
    rows_with_partials<T>(n.rows, d, out(1), out(2), [&](int64_t r, T* dw, T* db, T* row) {
      norm_backward_row(in(0) + r * d, in(1) + r * d, w, mean[r], rstd[r], true, d, row, dw, db);
      store_row(out(0) + r * d, row, d);
    });
  } else {  // rms_norm_backward: g, x, [w], rstd
    std::vector<T> ones(n.has_weight ? 0 : static_cast<size_t>(d), T(1));
    const T* w = n.has_weight ? in(2) : ones.data();
    const T* rstd = in(n.has_weight ? 3 : 2);
    rows_with_partials<T>(n.rows, d, out(1), static_cast<T*>(nullptr),
                          [&](int64_t r, T* dw, T* db, T* row) {
                            norm_backward_row(in(0) + r * d, in(1) + r * d, w, T(0), rstd[r],
                                              false, d, row, dw, db);
                            store_row(out(0) + r * d, row, d);
                          });
  }
}

bool dense(const lathe_view& v, int64_t* n) {
  int64_t expected = 1;
  for (int i = v.ndim - 1; i >= 0; --i) {
    if (v.shape[i] != 1 && v.strides[i] != expected) return false;
    expected *= v.shape[i];
  }
  *n = expected;
  return true;
}

// Checks a norm call's shapes and dtypes against its contract; fills n.
bool parse(lathe_fused_op op, const lathe_fused_call* c, NormCall* n) {
  bool fwd_ln = op == LATHE_FUSED_LAYER_NORM, fwd_rms = op == LATHE_FUSED_RMS_NORM;
  bool bwd_ln = op == LATHE_FUSED_LAYER_NORM_BACKWARD;
  bool bwd_rms = op == LATHE_FUSED_RMS_NORM_BACKWARD;
  if (!(fwd_ln || fwd_rms || bwd_ln || bwd_rms)) return false;
  int d_attr = fwd_ln || fwd_rms ? 1 : 0;  // attrs: [eps,] D, has_weight[, has_bias]
  int need_attrs = fwd_ln ? 4 : (fwd_rms ? 3 : 2);
  if (c->n_attrs != need_attrs) return false;
  n->d = static_cast<int64_t>(c->attrs[d_attr]);
  n->has_weight = c->attrs[d_attr + 1] != 0;
  n->has_bias = fwd_ln && c->attrs[3] != 0;
  int expected_in = (fwd_ln ? 1 : fwd_rms ? 1 : 2) + n->has_weight + n->has_bias +
                    (bwd_ln ? 2 : bwd_rms ? 1 : 0);
  int expected_out = fwd_ln ? 3 : (bwd_ln ? 3 : 2);
  if (c->n_inputs != expected_in || c->n_outputs != expected_out || n->d <= 0) return false;
  lathe_dtype t = c->outputs[0].dtype;
  if (t != LATHE_F32 && t != LATHE_F64) return false;
  int64_t total = 0;
  const lathe_view& x = c->inputs[fwd_ln || fwd_rms ? 0 : 1];
  if (!dense(x, &total) || total % n->d != 0) return false;
  n->rows = total / n->d;
  // The element count each view must have, in call order.
  std::vector<int64_t> in_sizes, out_sizes;
  if (fwd_ln || fwd_rms) {
    in_sizes = {total};
  } else {
    in_sizes = {total, total};
  }
  if (n->has_weight) in_sizes.push_back(n->d);
  if (n->has_bias) in_sizes.push_back(n->d);
  if (bwd_ln) in_sizes.insert(in_sizes.end(), {n->rows, n->rows});
  if (bwd_rms) in_sizes.push_back(n->rows);
  if (fwd_ln) out_sizes = {total, n->rows, n->rows};
  if (fwd_rms) out_sizes = {total, n->rows};
  if (bwd_ln) out_sizes = {total, n->d, n->d};
  if (bwd_rms) out_sizes = {total, n->d};
  int64_t count = 0;
  for (int i = 0; i < c->n_inputs; ++i)
    if (c->inputs[i].dtype != t || !dense(c->inputs[i], &count) || count != in_sizes[i])
      return false;
  for (int i = 0; i < c->n_outputs; ++i)
    if (c->outputs[i].dtype != t || !dense(c->outputs[i], &count) || count != out_sizes[i])
      return false;
  return true;
}

}  // namespace

bool norm_supports(lathe_fused_op op, const lathe_fused_call* call) {
  NormCall n;
  return parse(op, call, &n);
}

bool norm_run(lathe_fused_op op, const lathe_fused_call* call) {
  NormCall n;
  if (!parse(op, call, &n)) return false;
  if (call->outputs[0].dtype == LATHE_F32)
    run_norm<float>(op, call, n);
  else
    run_norm<double>(op, call, n);
  return true;
}

}  // namespace lathe_cpu
