// Fused kernels of the cuda backend (backend.h: supports / run_fused; the names are the list of
// backends/fused_ops.def, switched on as lathe_fused_op), with the call contracts
// of the cpu backend (backends/cpu/fused.cpp, fused_norm.cpp) and the op files that issue them:
//   softmax, softmax_backward, log_softmax, log_softmax_backward    (ops/nn/softmax.cpp, ...)
//   softmax_cross_entropy, softmax_cross_entropy_backward  (ops/nn/softmax_cross_entropy.cpp)
//   layer_norm, layer_norm_backward, rms_norm, rms_norm_backward    (ops/norm/*.cpp)
// f32 or f64, every view contiguous, the reduced axis last. One thread block per row: the row
// is read once per statistic (max, sum, ...) and written once; elementwise math runs in the
// row's dtype and row sums accumulate in double. The norms' parameter gradients (sums over
// rows) run column-wise afterwards: 32 columns per block, rows split into chunks when the
// columns alone cannot fill the GPU, chunks combined in order.
#include <algorithm>

#include "backends/cuda/kernels.cuh"
#include "backends/fused_ops.h"

namespace lathe_cuda {

namespace {

// ---- row statistics ----

// The block's maximum, NaN when any thread saw one (the composite's max propagates it).
template <typename T>
__device__ T block_max(T v, T* shared) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  for (int o = 16; o > 0; o >>= 1) v = max_step(v, __shfl_xor_sync(0xffffffffu, v, o));
  __syncthreads();
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  T m = lane < warps ? shared[lane] : T(-INFINITY);
  for (int o = 16; o > 0; o >>= 1) m = max_step(m, __shfl_xor_sync(0xffffffffu, m, o));
  return m;
}

template <typename T>
__device__ T row_max(const T* x, int64_t n, T* shared) {
  T m = T(-INFINITY);
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) m = max_step(m, x[i]);
  return block_max(m, shared);
}

// ---- softmax family: rows of n along the last axis ----

template <typename T>
__global__ void softmax_kernel(int64_t rows, int64_t n, const T* x, T* y, bool log_out) {
  __shared__ T shared_t[32];
  __shared__ double shared_d[32];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {  // uniform across the block
    const T* xr = x + r * n;
    T* yr = y + r * n;
    const T m = row_max(xr, n, shared_t);
    double s = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) s += m_exp(xr[i] - m);
    s = block_sum(s, shared_d);
    if (log_out) {
      const T log_sum = static_cast<T>(log(s));
      for (int64_t i = threadIdx.x; i < n; i += blockDim.x) yr[i] = (xr[i] - m) - log_sum;
    } else {
      const T inv = static_cast<T>(1.0 / s);
      for (int64_t i = threadIdx.x; i < n; i += blockDim.x) yr[i] = m_exp(xr[i] - m) * inv;
    }
  }
}

// softmax: dx = y (g - sum(g y)); log_softmax: dx = g - exp(y) sum(g).
template <typename T>
__global__ void softmax_backward_kernel(int64_t rows, int64_t n, const T* g, const T* y, T* dx,
                                        bool log_in) {
  __shared__ double shared_d[32];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T *gr = g + r * n, *yr = y + r * n;
    T* dr = dx + r * n;
    double s = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x)
      s += log_in ? static_cast<double>(gr[i]) : static_cast<double>(gr[i] * yr[i]);
    const T total = static_cast<T>(block_sum(s, shared_d));
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x)
      dr[i] = log_in ? gr[i] - m_exp(yr[i]) * total : yr[i] * (gr[i] - total);
  }
}

// loss = (m - x[label]) + log(sum(exp(x - m))), lse = m + log(...) in double (the op file says
// why). A bad label marks its row in *flag and leaves the row unwritten.
template <typename T>
__global__ void xent_kernel(int64_t rows, int64_t n, const T* x, const int64_t* labels, T* loss,
                            double* lse, unsigned long long* flag) {
  __shared__ T shared_t[32];
  __shared__ double shared_d[32];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const int64_t label = labels[r];
    if (label < 0 || label >= n) {  // uniform across the block
      if (threadIdx.x == 0) atomicMin(flag, static_cast<unsigned long long>(r));
      continue;
    }
    const T* xr = x + r * n;
    const T m = row_max(xr, n, shared_t);
    double s = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) s += m_exp(xr[i] - m);
    s = block_sum(s, shared_d);
    if (threadIdx.x == 0) {
      const double log_sum = log(s);
      lse[r] = static_cast<double>(m) + log_sum;
      loss[r] = static_cast<T>(static_cast<double>(m - xr[label]) + log_sum);
    }
  }
}

// dx = g exp(x - lse) - g one_hot(label). exp(x - lse) = exp(x - s) exp(s - lse) with s = lse
// rounded to T: x - s is exact where it matters (near the maximum), the residual tiny.
template <typename T>
__global__ void xent_backward_kernel(int64_t rows, int64_t n, const T* g, const T* x,
                                     const int64_t* labels, const double* lse, T* dx,
                                     unsigned long long* flag) {
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const int64_t label = labels[r];
    if (label < 0 || label >= n) {
      if (threadIdx.x == 0) atomicMin(flag, static_cast<unsigned long long>(r));
      continue;
    }
    const T shift = static_cast<T>(lse[r]);
    const T scale = static_cast<T>(exp(static_cast<double>(shift) - lse[r])) * g[r];
    const T* xr = x + r * n;
    T* dr = dx + r * n;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
      T v = scale * m_exp(xr[i] - shift);
      if (i == label) v -= g[r];
      dr[i] = v;
    }
  }
}

// ---- layer_norm, rms_norm ----

// y = (x - mean) rstd w + b (layer norm) or x rstd w (rms norm: centered false); w, b may be
// null. mean and rstd in T as the cpu backend computes them: two passes over the row.
template <typename T>
__global__ void norm_kernel(int64_t rows, int64_t d, const T* x, const T* w, const T* b, T eps,
                            bool centered, T* y, T* mean_out, T* rstd_out) {
  __shared__ double shared_d[32];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* xr = x + r * d;
    T* yr = y + r * d;
    T mean = T(0);
    if (centered) {
      double s = 0.0;
      for (int64_t i = threadIdx.x; i < d; i += blockDim.x) s += xr[i];
      mean = static_cast<T>(block_sum(s, shared_d) / static_cast<double>(d));
    }
    double s2 = 0.0;
    for (int64_t i = threadIdx.x; i < d; i += blockDim.x) {
      const T dev = xr[i] - mean;
      s2 += static_cast<double>(dev * dev);
    }
    const T var = static_cast<T>(block_sum(s2, shared_d) / static_cast<double>(d));
    const T rstd = T(1) / m_sqrt(var + eps);
    for (int64_t i = threadIdx.x; i < d; i += blockDim.x) {
      T v = (xr[i] - mean) * rstd;
      if (w) v = v * w[i];
      if (b) v = v + b[i];
      yr[i] = v;
    }
    if (threadIdx.x == 0) {
      if (mean_out) mean_out[r] = mean;
      rstd_out[r] = rstd;
    }
  }
}

// dx = rstd (g w - s1/D - x_hat s2/D), s1 = sum(g w) (layer norm only), s2 = sum(g w x_hat),
// x_hat = (x - mean) rstd; mean is null for rms norm, w null when the op has no weight.
template <typename T>
__global__ void norm_backward_kernel(int64_t rows, int64_t d, const T* g, const T* x, const T* w,
                                     const T* mean, const T* rstd, T* dx) {
  __shared__ double shared_d[32];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T *gr = g + r * d, *xr = x + r * d;
    T* dr = dx + r * d;
    const T mu = mean ? mean[r] : T(0), rs = rstd[r];
    double s1 = 0.0, s2 = 0.0;
    for (int64_t i = threadIdx.x; i < d; i += blockDim.x) {
      const T gw = w ? gr[i] * w[i] : gr[i];
      s1 += gw;
      s2 += static_cast<double>(gw * ((xr[i] - mu) * rs));
    }
    const T a = mean ? static_cast<T>(block_sum(s1, shared_d) / static_cast<double>(d)) : T(0);
    const T c = static_cast<T>(block_sum(s2, shared_d) / static_cast<double>(d));
    for (int64_t i = threadIdx.x; i < d; i += blockDim.x) {
      const T gw = w ? gr[i] * w[i] : gr[i];
      const T x_hat = (xr[i] - mu) * rs;
      dr[i] = rs * (gw - a - x_hat * c);
    }
  }
}

constexpr int kColX = 32, kColY = 8;

// Partial column sums over rows [chunk begin, end) of g x_hat (into pw) and g (into pb, when
// not null): partial[chunk * d + column].
template <typename T>
__global__ void norm_param_kernel(int64_t rows, int64_t d, int64_t chunk, const T* g, const T* x,
                                  const T* mean, const T* rstd, double* pw, double* pb) {
  __shared__ double sw[kColY][kColX];
  __shared__ double sb[kColY][kColX];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t begin = static_cast<int64_t>(blockIdx.y) * chunk;
  const int64_t end = begin + chunk < rows ? begin + chunk : rows;
  for (int64_t first = static_cast<int64_t>(blockIdx.x) * kColX; first < d;
       first += static_cast<int64_t>(gridDim.x) * kColX) {  // uniform across the block
    const int64_t col = first + tx;
    double acc_w = 0.0, acc_b = 0.0;
    if (col < d) {
      for (int64_t r = begin + ty; r < end; r += kColY) {
        const T gv = g[r * d + col];
        const T x_hat = (x[r * d + col] - (mean ? mean[r] : T(0))) * rstd[r];
        acc_w += static_cast<double>(gv * x_hat);
        acc_b += gv;
      }
    }
    __syncthreads();  // the previous round's readers are done with shared
    sw[ty][tx] = acc_w;
    sb[ty][tx] = acc_b;
    __syncthreads();
    if (ty == 0 && col < d) {
      for (int y = 1; y < kColY; ++y) {
        acc_w += sw[y][tx];
        acc_b += sb[y][tx];
      }
      pw[blockIdx.y * d + col] = acc_w;
      if (pb) pb[blockIdx.y * d + col] = acc_b;
    }
  }
}

template <typename T>
__global__ void norm_param_finish_kernel(int64_t d, int64_t chunks, const double* pw,
                                         const double* pb, T* dweight, T* dbias) {
  LATHE_GRID_LOOP(col, d) {
    double w = 0.0, b = 0.0;
    for (int64_t c = 0; c < chunks; ++c) {
      w += pw[c * d + col];
      if (pb) b += pb[c * d + col];
    }
    dweight[col] = static_cast<T>(w);
    if (dbias) dbias[col] = static_cast<T>(b);
  }
}

// ---- matching calls (the cpu backend's contracts) ----

bool dense(const lathe_view& v, int64_t* count) {
  int64_t expected = 1;
  for (int k = v.ndim - 1; k >= 0; --k) {
    if (v.shape[k] != 1 && v.strides[k] != expected) return false;
    expected *= v.shape[k];
  }
  *count = expected;
  return true;
}

bool same_shape(const lathe_view& a, const lathe_view& b) {
  if (a.ndim != b.ndim) return false;
  for (int k = 0; k < a.ndim; ++k)
    if (a.shape[k] != b.shape[k]) return false;
  return true;
}

// f32/f64 (the first output's dtype) and every view dense.
bool views_ok(const lathe_fused_call* c, lathe_dtype* dtype) {
  *dtype = c->outputs[0].dtype;
  if (*dtype != LATHE_F32 && *dtype != LATHE_F64) return false;
  int64_t count = 0;
  for (int i = 0; i < c->n_outputs; ++i)
    if (!dense(c->outputs[i], &count)) return false;
  for (int i = 0; i < c->n_inputs; ++i)
    if (!dense(c->inputs[i], &count)) return false;
  return true;
}

bool has_count(const lathe_view& v, int64_t n) {
  int64_t count = 0;
  return dense(v, &count) && count == n;
}

bool matches(lathe_fused_op k, const lathe_fused_call* c) {
  lathe_dtype t;
  if (k == LATHE_FUSED_NONE || c->n_outputs < 1 || !views_ok(c, &t)) return false;
  switch (k) {
    case LATHE_FUSED_SOFTMAX:
    case LATHE_FUSED_LOG_SOFTMAX:
      return c->n_inputs == 1 && c->n_outputs == 1 && c->n_attrs == 1 &&
             c->inputs[0].ndim >= 1 && c->attrs[0] == c->inputs[0].ndim - 1 &&
             c->inputs[0].dtype == t && same_shape(c->inputs[0], c->outputs[0]);
    case LATHE_FUSED_SOFTMAX_BACKWARD:
    case LATHE_FUSED_LOG_SOFTMAX_BACKWARD:
      return c->n_inputs == 2 && c->n_outputs == 1 && c->n_attrs == 1 &&
             c->inputs[1].ndim >= 1 && c->attrs[0] == c->inputs[1].ndim - 1 &&
             c->inputs[0].dtype == t && c->inputs[1].dtype == t &&
             same_shape(c->inputs[0], c->inputs[1]) && same_shape(c->inputs[1], c->outputs[0]);
    case LATHE_FUSED_SOFTMAX_CROSS_ENTROPY:
      return c->n_inputs == 2 && c->n_outputs == 2 && c->inputs[0].ndim == 2 &&
             c->inputs[0].dtype == t && c->inputs[1].dtype == LATHE_I64 &&
             c->outputs[1].dtype == LATHE_F64 && has_count(c->inputs[1], c->inputs[0].shape[0]) &&
             has_count(c->outputs[0], c->inputs[0].shape[0]) &&
             has_count(c->outputs[1], c->inputs[0].shape[0]);
    case LATHE_FUSED_SOFTMAX_CROSS_ENTROPY_BACKWARD:
      return c->n_inputs == 4 && c->n_outputs == 1 && c->inputs[1].ndim == 2 &&
             c->inputs[0].dtype == t && c->inputs[1].dtype == t &&
             c->inputs[2].dtype == LATHE_I64 && c->inputs[3].dtype == LATHE_F64 &&
             has_count(c->inputs[0], c->inputs[1].shape[0]) &&
             has_count(c->inputs[2], c->inputs[1].shape[0]) &&
             has_count(c->inputs[3], c->inputs[1].shape[0]) &&
             same_shape(c->inputs[1], c->outputs[0]);
    default: return false;
  }
}

struct NormCall {
  bool forward = false, centered = false;  // layer norm is centered, rms norm is not
  int64_t rows = 0, d = 0;
  bool has_weight = false, has_bias = false;
};

// A norm call's shapes and dtypes against its contract (the cpu backend's parse); fills n.
bool parse_norm(lathe_fused_op op, const lathe_fused_call* c, NormCall* n) {
  const bool fwd_ln = op == LATHE_FUSED_LAYER_NORM, fwd_rms = op == LATHE_FUSED_RMS_NORM;
  const bool bwd_ln = op == LATHE_FUSED_LAYER_NORM_BACKWARD;
  const bool bwd_rms = op == LATHE_FUSED_RMS_NORM_BACKWARD;
  if (!(fwd_ln || fwd_rms || bwd_ln || bwd_rms)) return false;
  n->forward = fwd_ln || fwd_rms;
  n->centered = fwd_ln || bwd_ln;
  const int d_attr = n->forward ? 1 : 0;  // attrs: [eps,] D, has_weight[, has_bias]
  const int need_attrs = fwd_ln ? 4 : (fwd_rms ? 3 : 2);
  if (c->n_attrs != need_attrs) return false;
  if (!(c->attrs[d_attr] >= 1 && c->attrs[d_attr] <= 9.0e15)) return false;
  n->d = static_cast<int64_t>(c->attrs[d_attr]);
  n->has_weight = c->attrs[d_attr + 1] != 0;
  n->has_bias = fwd_ln && c->attrs[3] != 0;
  const int expected_in = (n->forward ? 1 : 2) + n->has_weight + n->has_bias +
                          (bwd_ln ? 2 : bwd_rms ? 1 : 0);
  const int expected_out = fwd_ln || bwd_ln ? 3 : 2;
  if (c->n_inputs != expected_in || c->n_outputs != expected_out) return false;
  const lathe_dtype t = c->outputs[0].dtype;
  if (t != LATHE_F32 && t != LATHE_F64) return false;
  int64_t total = 0;
  const lathe_view& x = c->inputs[n->forward ? 0 : 1];
  if (!dense(x, &total) || total % n->d != 0) return false;
  n->rows = total / n->d;
  // The element count each view must have, in call order.
  int64_t in_sizes[6], out_sizes[3];
  int ni = 0;
  in_sizes[ni++] = total;
  if (!n->forward) in_sizes[ni++] = total;
  if (n->has_weight) in_sizes[ni++] = n->d;
  if (n->has_bias) in_sizes[ni++] = n->d;
  if (bwd_ln) in_sizes[ni++] = n->rows;
  if (!n->forward) in_sizes[ni++] = n->rows;
  out_sizes[0] = total;
  out_sizes[1] = n->forward ? n->rows : n->d;
  out_sizes[2] = fwd_ln ? n->rows : n->d;
  for (int i = 0; i < c->n_inputs; ++i)
    if (c->inputs[i].dtype != t || !has_count(c->inputs[i], in_sizes[i])) return false;
  for (int i = 0; i < c->n_outputs; ++i)
    if (c->outputs[i].dtype != t || !has_count(c->outputs[i], out_sizes[i])) return false;
  return true;
}

// ---- running calls ----

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

unsigned row_grid(int64_t rows) {
  return static_cast<unsigned>(rows < (1 << 20) ? (rows > 0 ? rows : 1) : (1 << 20));
}

// After a cross-entropy kernel: LATHE_ERR_INDEX naming the first row with a bad label.
lathe_status label_verdict(const lathe_fused_call* c, DeviceState* d,
                           const unsigned long long* flag, const lathe_view& labels,
                           int64_t classes) {
  unsigned long long first = 0;
  LATHE_CUDA_RETURN_IF_ERROR(read_flag(c->op, d, flag, &first));
  if (first == ~0ull) return LATHE_OK;
  int64_t label = 0;
  LATHE_CUDA_RETURN_IF_ERROR(read_element(c->op, d, &labels, static_cast<int64_t>(first), &label));
  return fail(LATHE_ERR_INDEX, "%s: label %lld in row %llu is out of range for %lld classes",
              c->op, static_cast<long long>(label), first, static_cast<long long>(classes));
}

template <typename T>
lathe_status run_softmax_family(DeviceState* d, lathe_fused_op k, const lathe_fused_call* c) {
  auto in = [c](int i) { return static_cast<const T*>(c->inputs[i].data); };
  auto out = [c](int i) { return static_cast<T*>(c->outputs[i].data); };
  const char* fn = c->op;
  const bool xent_fwd = k == LATHE_FUSED_SOFTMAX_CROSS_ENTROPY;
  const bool xent = xent_fwd || k == LATHE_FUSED_SOFTMAX_CROSS_ENTROPY_BACKWARD;
  const lathe_view& shape_of = xent ? c->inputs[xent_fwd ? 0 : 1] : c->outputs[0];
  const int64_t n = shape_of.shape[shape_of.ndim - 1];
  const int64_t total = numel(&shape_of);
  const int64_t rows = xent ? shape_of.shape[0] : (n ? total / n : 0);
  if (rows == 0) return LATHE_OK;
  const int threads = row_threads(n, 512);
  const unsigned grid = row_grid(rows);
  cudaStream_t s = d->stream;
  if (k == LATHE_FUSED_SOFTMAX || k == LATHE_FUSED_LOG_SOFTMAX) {
    const bool log_out = k == LATHE_FUSED_LOG_SOFTMAX;
    softmax_kernel<T><<<grid, threads, 0, s>>>(rows, n, in(0), out(0), log_out);
    return check_launch(fn);
  }
  if (k == LATHE_FUSED_SOFTMAX_BACKWARD || k == LATHE_FUSED_LOG_SOFTMAX_BACKWARD) {
    softmax_backward_kernel<T><<<grid, threads, 0, s>>>(rows, n, in(0), in(1), out(0),
                                                        k == LATHE_FUSED_LOG_SOFTMAX_BACKWARD);
    return check_launch(fn);
  }
  Scratch scratch(d);
  void* mem = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, sizeof(unsigned long long), &mem));
  unsigned long long* flag = static_cast<unsigned long long*>(mem);
  cudaError_t err = cudaMemsetAsync(flag, 0xff, sizeof *flag, s);
  if (err != cudaSuccess) return cuda_fail(fn, "cudaMemsetAsync", err);
  const int label_input = xent_fwd ? 1 : 2;
  const int64_t* labels = static_cast<const int64_t*>(c->inputs[label_input].data);
  if (xent_fwd) {
    xent_kernel<T><<<grid, threads, 0, s>>>(rows, n, in(0), labels, out(0),
                                            static_cast<double*>(c->outputs[1].data), flag);
  } else {
    xent_backward_kernel<T><<<grid, threads, 0, s>>>(
        rows, n, in(0), in(1), labels, static_cast<const double*>(c->inputs[3].data), out(0), flag);
  }
  LATHE_CUDA_RETURN_IF_ERROR(check_launch(fn));
  return label_verdict(c, d, flag, c->inputs[label_input], n);
}

template <typename T>
lathe_status run_norm(DeviceState* d, const NormCall& nc, const lathe_fused_call* c) {
  auto in = [c](int i) { return static_cast<const T*>(c->inputs[i].data); };
  auto out = [c](int i) { return static_cast<T*>(c->outputs[i].data); };
  const char* fn = c->op;
  const int64_t rows = nc.rows, dim = nc.d;
  if (rows == 0) {
    // No rows: the parameter gradients are sums of nothing.
    if (nc.forward) return LATHE_OK;
    for (int i = 1; i < c->n_outputs; ++i)
      LATHE_CUDA_RETURN_IF_ERROR(fill(d->index, &c->outputs[i], 0.0));
    return LATHE_OK;
  }
  const int threads = row_threads(dim, 512);
  const unsigned grid = row_grid(rows);
  cudaStream_t s = d->stream;
  if (nc.forward) {  // in: x, [w], [b]; out: y, [mean], rstd
    const T* w = nc.has_weight ? in(1) : nullptr;
    const T* b = nc.has_bias ? in(nc.has_weight ? 2 : 1) : nullptr;
    const T eps = static_cast<T>(c->attrs[0]);
    T* mean = nc.centered ? out(1) : nullptr;
    T* rstd = out(nc.centered ? 2 : 1);
    norm_kernel<T><<<grid, threads, 0, s>>>(rows, dim, in(0), w, b, eps, nc.centered, out(0),
                                            mean, rstd);
    return check_launch(fn);
  }
  // in: g, x, [w], [mean], rstd; out: dx, dweight, [dbias]
  const T* w = nc.has_weight ? in(2) : nullptr;
  const int stats = nc.has_weight ? 3 : 2;
  const T* mean = nc.centered ? in(stats) : nullptr;
  const T* rstd = in(nc.centered ? stats + 1 : stats);
  norm_backward_kernel<T><<<grid, threads, 0, s>>>(rows, dim, in(0), in(1), w, mean, rstd, out(0));
  LATHE_CUDA_RETURN_IF_ERROR(check_launch(fn));

  const int64_t col_blocks = ceil_div(dim, kColX);
  const int64_t target = static_cast<int64_t>(d->sm_count) * 8;
  int64_t chunks =
      col_blocks < target ? std::min(ceil_div(target, col_blocks), ceil_div(rows, 64)) : 1;
  chunks = std::max<int64_t>(1, std::min<int64_t>(chunks, 65535));
  const int64_t chunk = ceil_div(rows, chunks);
  chunks = ceil_div(rows, chunk);
  Scratch scratch(d);
  void *pw = nullptr, *pb = nullptr;
  const size_t partial_bytes = static_cast<size_t>(chunks * dim) * sizeof(double);
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, partial_bytes, &pw));
  if (nc.centered) LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, partial_bytes, &pb));
  const dim3 col_grid(static_cast<unsigned>(std::min<int64_t>(col_blocks, 1 << 20)),
                      static_cast<unsigned>(chunks));
  norm_param_kernel<T><<<col_grid, dim3(kColX, kColY), 0, s>>>(
      rows, dim, chunk, in(0), in(1), mean, rstd, static_cast<double*>(pw),
      static_cast<double*>(pb));
  LATHE_CUDA_RETURN_IF_ERROR(check_launch(fn));
  return launch(fn, d, dim, norm_param_finish_kernel<T>, dim, chunks,
                static_cast<const double*>(pw), static_cast<const double*>(pb), out(1),
                nc.centered ? out(2) : static_cast<T*>(nullptr));
}

}  // namespace

int32_t supports(int32_t device, const lathe_fused_call* call) {
  if (device < 0 || device >= visible_devices() || call == nullptr || call->op == nullptr) return 0;
  const lathe_fused_op k = lathe_fused_op_of(call->op);
  NormCall n;
  return matches(k, call) || parse_norm(k, call, &n);
}

lathe_status run_fused(int32_t device, const lathe_fused_call* call) {
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter("run_fused", device, &d));
  if (call == nullptr || call->op == nullptr) return fail(LATHE_ERR_INVALID, "run_fused: no call");
  const bool f64 = call->n_outputs > 0 && call->outputs[0].dtype == LATHE_F64;
  const lathe_fused_op k = lathe_fused_op_of(call->op);
  NormCall n;
  if (parse_norm(k, call, &n))
    return f64 ? run_norm<double>(d, n, call) : run_norm<float>(d, n, call);
  if (!matches(k, call))
    return fail(LATHE_ERR_UNSUPPORTED, "cuda: no fused kernel '%s' for this call", call->op);
  return f64 ? run_softmax_family<double>(d, k, call) : run_softmax_family<float>(d, k, call);
}

}  // namespace lathe_cuda
