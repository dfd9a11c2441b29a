// Reductions (SUM, MAX, MIN, ARGMAX, ARGMIN over any set of axes) and scans (cumsum) of the
// cuda backend. Floats accumulate in double and ints in wrapping int64, like the reference
// backend, so f16/bf16 and f32 sums are as accurate as the reference's; the order differs (a
// tree instead of a line), which only matters in the last bits of a double.
//
// A reduction is an Indexer over the outputs (in and out offsets) and one over the reduced
// elements of a block (in offsets). Two layouts:
//   inner: a thread block per output, its threads striding through the reduced elements (they
//          are contiguous when the innermost input dim is reduced: coalesced loads);
//   outer: 32 outputs per block along x (adjacent outputs are adjacent in memory: coalesced),
//          8 threads along y share each output's reduced elements.
// When the outputs alone cannot fill the GPU (a full sum, a bias gradient over a large batch),
// the reduced elements are split into chunks along grid y; each chunk writes a partial result
// and a second kernel combines the chunks in order.
#include <algorithm>
#include <type_traits>

#include "backends/cuda/kernels.cuh"

namespace lathe_cuda {

namespace {

// An accumulator: the value (double for float inputs, int64 for int inputs) and, for the ARG
// ops, the index along the reduced axis.
template <typename A>
struct Acc {
  A v;
  int64_t i;
};

// Float inputs accumulate in double, ints (and bool) in int64.
template <typename T>
using AccOf = typename std::conditional<std::is_integral<typename Elem<T>::C>::value, int64_t,
                                        double>::type;

__host__ __device__ inline double acc_add(double x, double y) { return x + y; }
__host__ __device__ inline int64_t acc_add(int64_t x, int64_t y) {
  return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
}

template <typename A>
__device__ A lowest() {
  if constexpr (std::is_integral<A>::value) {
    return INT64_MIN;
  } else {
    return -INFINITY;
  }
}

template <typename A>
__device__ A highest() {
  if constexpr (std::is_integral<A>::value) {
    return INT64_MAX;
  } else {
    return INFINITY;
  }
}

template <typename A>
__device__ Acc<A> identity(lathe_reduce_op op) {
  switch (op) {
    case LATHE_REDUCE_SUM: return {A(0), 0};
    case LATHE_REDUCE_MAX:
    case LATHE_REDUCE_ARGMAX: return {lowest<A>(), INT64_MAX};
    default: return {highest<A>(), INT64_MAX};  // MIN, ARGMIN
  }
}

// One reduced element x at position r along the reduced axis.
template <typename A>
__device__ Acc<A> step(lathe_reduce_op op, Acc<A> acc, A x, int64_t r) {
  switch (op) {
    case LATHE_REDUCE_SUM: return {acc_add(acc.v, x), 0};
    case LATHE_REDUCE_MAX: return {max_step(acc.v, x), 0};
    case LATHE_REDUCE_MIN: return {min_step(acc.v, x), 0};
    default:
      return arg_better(op == LATHE_REDUCE_ARGMAX, x, r, acc.v, acc.i) ? Acc<A>{x, r} : acc;
  }
}

// Two partial results (any order: every op here is associative and commutative).
template <typename A>
__device__ Acc<A> combine(lathe_reduce_op op, Acc<A> a, Acc<A> b) {
  switch (op) {
    case LATHE_REDUCE_SUM: return {acc_add(a.v, b.v), 0};
    case LATHE_REDUCE_MAX: return {max_step(a.v, b.v), 0};
    case LATHE_REDUCE_MIN: return {min_step(a.v, b.v), 0};
    default: return arg_better(op == LATHE_REDUCE_ARGMAX, b.v, b.i, a.v, a.i) ? b : a;
  }
}

template <typename A>
__device__ Acc<A> warp_combine(lathe_reduce_op op, Acc<A> a) {
  for (int o = 16; o > 0; o >>= 1) {
    Acc<A> other{__shfl_xor_sync(0xffffffffu, a.v, o), __shfl_xor_sync(0xffffffffu, a.i, o)};
    a = combine(op, a, other);
  }
  return a;
}

template <typename T>
__device__ AccOf<T> load_acc(const T* p) {
  return static_cast<AccOf<T>>(Elem<T>::load(*p));
}

// The final value of one output: in's dtype for SUM/MAX/MIN, the i64 index for the ARG ops.
template <typename T>
__device__ void store_result(lathe_reduce_op op, Acc<AccOf<T>> acc, void* out, int64_t offset) {
  if (op == LATHE_REDUCE_ARGMAX || op == LATHE_REDUCE_ARGMIN) {
    static_cast<int64_t*>(out)[offset] = acc.i;
  } else {
    using C = typename Elem<T>::C;
    static_cast<T*>(out)[offset] = Elem<T>::store(static_cast<C>(acc.v));
  }
}

// Parameters every reduction kernel takes.
struct ReducePlan {
  Indexer outs;     // operands: in, out
  int64_t n_out;
  Indexer reduced;  // operand: in (offsets within a block)
  int64_t n_red;
  int64_t chunk;    // reduced elements per chunk (grid y)
};

// Reduced elements [begin, end) of chunk blockIdx.y.
__device__ inline void chunk_range(const ReducePlan& p, int64_t* begin, int64_t* end) {
  *begin = static_cast<int64_t>(blockIdx.y) * p.chunk;
  *end = *begin + p.chunk < p.n_red ? *begin + p.chunk : p.n_red;
}

template <typename T>
__global__ void reduce_inner_kernel(ReducePlan p, lathe_reduce_op op, const T* in, void* out,
                                   Acc<AccOf<T>>* partial) {
  using A = AccOf<T>;
  __shared__ A shared_v[32];
  __shared__ int64_t shared_i[32];
  int64_t begin, end;
  chunk_range(p, &begin, &end);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  for (int64_t o = blockIdx.x; o < p.n_out; o += gridDim.x) {  // uniform across the block
    int64_t base[2];
    indexer_offsets(p.outs, o, base);
    Acc<A> acc = identity<A>(op);
    for (int64_t r = begin + threadIdx.x; r < end; r += blockDim.x) {
      int64_t off[1];
      indexer_offsets(p.reduced, r, off);
      acc = step(op, acc, load_acc(in + base[0] + off[0]), r);
    }
    acc = warp_combine(op, acc);
    __syncthreads();  // the previous output's readers are done with shared
    if (lane == 0) {
      shared_v[warp] = acc.v;
      shared_i[warp] = acc.i;
    }
    __syncthreads();
    if (warp == 0) {
      acc = lane < warps ? Acc<A>{shared_v[lane], shared_i[lane]} : identity<A>(op);
      acc = warp_combine(op, acc);
      if (lane == 0) {
        if (partial) {
          partial[blockIdx.y * p.n_out + o] = acc;
        } else {
          store_result<T>(op, acc, out, base[1]);
        }
      }
    }
  }
}

constexpr int kOuterX = 32, kOuterY = 8;

template <typename T>
__global__ void reduce_outer_kernel(ReducePlan p, lathe_reduce_op op, const T* in, void* out,
                                   Acc<AccOf<T>>* partial) {
  using A = AccOf<T>;
  __shared__ A shared_v[kOuterY][kOuterX];
  __shared__ int64_t shared_i[kOuterY][kOuterX];
  int64_t begin, end;
  chunk_range(p, &begin, &end);
  const int tx = threadIdx.x, ty = threadIdx.y;
  for (int64_t first = static_cast<int64_t>(blockIdx.x) * kOuterX; first < p.n_out;
       first += static_cast<int64_t>(gridDim.x) * kOuterX) {  // uniform across the block
    const int64_t o = first + tx;
    Acc<A> acc = identity<A>(op);
    int64_t base[2] = {0, 0};
    if (o < p.n_out) {
      indexer_offsets(p.outs, o, base);
      for (int64_t r = begin + ty; r < end; r += kOuterY) {
        int64_t off[1];
        indexer_offsets(p.reduced, r, off);
        acc = step(op, acc, load_acc(in + base[0] + off[0]), r);
      }
    }
    __syncthreads();  // the previous round's readers are done with shared
    shared_v[ty][tx] = acc.v;
    shared_i[ty][tx] = acc.i;
    __syncthreads();
    if (ty == 0 && o < p.n_out) {
      for (int y = 1; y < kOuterY; ++y)
        acc = combine(op, acc, Acc<A>{shared_v[y][tx], shared_i[y][tx]});
      if (partial) {
        partial[blockIdx.y * p.n_out + o] = acc;
      } else {
        store_result<T>(op, acc, out, base[1]);
      }
    }
  }
}

// Combines the chunks' partial results of every output, chunk by chunk.
template <typename T>
__global__ void reduce_finish_kernel(ReducePlan p, lathe_reduce_op op, int64_t chunks,
                                     const Acc<AccOf<T>>* partial, void* out) {
  LATHE_GRID_LOOP(o, p.n_out) {
    Acc<AccOf<T>> acc = partial[o];
    for (int64_t c = 1; c < chunks; ++c) acc = combine(op, acc, partial[c * p.n_out + o]);
    int64_t base[2];
    indexer_offsets(p.outs, o, base);
    store_result<T>(op, acc, out, base[1]);
  }
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

template <typename T>
lathe_status run_reduce(DeviceState* d, ReducePlan p, bool inner, lathe_reduce_op op,
                        const lathe_view* in, const lathe_view* out) {
  const char* fn = "reduce";
  using A = AccOf<T>;
  // Split the reduced elements when the outputs give fewer blocks than the GPU holds.
  const int64_t target = static_cast<int64_t>(d->sm_count) * 8;
  const int64_t blocks = inner ? p.n_out : ceil_div(p.n_out, kOuterX);
  const int64_t min_chunk = inner ? 2048 : 128;
  int64_t chunks = 1;
  if (blocks < target && p.n_red > 2 * min_chunk)
    chunks = std::min(ceil_div(target, blocks), ceil_div(p.n_red, min_chunk));
  chunks = std::min<int64_t>(chunks, 65535);  // grid y limit
  p.chunk = chunks > 1 ? ceil_div(p.n_red, chunks) : (p.n_red > 0 ? p.n_red : 1);
  chunks = chunks > 1 ? ceil_div(p.n_red, p.chunk) : 1;

  Scratch scratch(d);
  Acc<A>* partial = nullptr;
  if (chunks > 1) {
    void* mem = nullptr;
    LATHE_CUDA_RETURN_IF_ERROR(
        scratch.get(fn, static_cast<size_t>(chunks * p.n_out) * sizeof(Acc<A>), &mem));
    partial = static_cast<Acc<A>*>(mem);
  }
  const T* src = static_cast<const T*>(in->data);
  const unsigned grid_x = static_cast<unsigned>(std::min<int64_t>(blocks, 1 << 20));
  const dim3 grid(grid_x, static_cast<unsigned>(chunks));
  if (inner) {
    const int threads = row_threads(p.chunk, 256);
    reduce_inner_kernel<T><<<grid, threads, 0, d->stream>>>(p, op, src, out->data, partial);
  } else {
    reduce_outer_kernel<T><<<grid, dim3(kOuterX, kOuterY), 0, d->stream>>>(p, op, src, out->data,
                                                                            partial);
  }
  LATHE_CUDA_RETURN_IF_ERROR(check_launch(fn));
  if (chunks > 1)
    return launch(fn, d, p.n_out, reduce_finish_kernel<T>, p, op, chunks,
                  static_cast<const Acc<A>*>(partial), out->data);
  return LATHE_OK;
}

const char* const kReduceNames[] = {"SUM", "MAX", "MIN", "ARGMAX", "ARGMIN"};
static_assert(sizeof kReduceNames / sizeof kReduceNames[0] == LATHE_REDUCE_COUNT, "reduce names");

// The input dim (of extent > 1) that steps through memory fastest, or -1.
int32_t innermost_dim(const lathe_view* v) {
  int32_t best = -1;
  for (int32_t k = 0; k < v->ndim; ++k) {
    if (v->shape[k] <= 1) continue;
    const int64_t s = v->strides[k] < 0 ? -v->strides[k] : v->strides[k];
    const int64_t bs = best < 0 ? 0 : (v->strides[best] < 0 ? -v->strides[best] : v->strides[best]);
    if (best < 0 || s < bs || (s == bs && k > best)) best = k;
  }
  return best;
}

// ---- scan ----

// Inclusive prefix sum over the block (blockDim.x a multiple of 32); *total gets the block's sum.
template <typename A>
__device__ A block_inclusive_scan(A x, A* shared, A* total) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  for (int o = 1; o < 32; o <<= 1) {
    const A y = __shfl_up_sync(0xffffffffu, x, o);
    if (lane >= o) x = acc_add(x, y);
  }
  __syncthreads();  // the previous round's readers are done with shared
  if (lane == 31) shared[warp] = x;
  __syncthreads();
  if (warp == 0) {
    A w = lane < warps ? shared[lane] : A(0);
    for (int o = 1; o < 32; o <<= 1) {
      const A y = __shfl_up_sync(0xffffffffu, w, o);
      if (lane >= o) w = acc_add(w, y);
    }
    shared[lane] = w;
  }
  __syncthreads();
  *total = shared[warps - 1];
  return warp > 0 ? acc_add(shared[warp - 1], x) : x;
}

struct ScanPlan {
  Indexer lines;  // operands: in, out (the first element of each line)
  int64_t n_lines;
  int64_t n;  // line length
  int64_t in_stride, out_stride;
  bool reverse;
};

// One thread per line, in order.
template <typename T>
__global__ void scan_lines_kernel(ScanPlan p, const T* in, T* out) {
  using A = AccOf<T>;
  using C = typename Elem<T>::C;
  LATHE_GRID_LOOP(l, p.n_lines) {
    int64_t base[2];
    indexer_offsets(p.lines, l, base);
    A acc = A(0);
    for (int64_t s = 0; s < p.n; ++s) {
      const int64_t j = p.reverse ? p.n - 1 - s : s;
      acc = acc_add(acc, load_acc(in + base[0] + j * p.in_stride));
      out[base[1] + j * p.out_stride] = Elem<T>::store(static_cast<C>(acc));
    }
  }
}

// One block per line, blockDim.x elements at a time with a running carry. Each thread reads
// and writes only its own element, so out may alias in.
template <typename T>
__global__ void scan_block_kernel(ScanPlan p, const T* in, T* out) {
  using A = AccOf<T>;
  using C = typename Elem<T>::C;
  __shared__ A shared[32];
  for (int64_t l = blockIdx.x; l < p.n_lines; l += gridDim.x) {  // uniform across the block
    int64_t base[2];
    indexer_offsets(p.lines, l, base);
    A carry = A(0);
    for (int64_t first = 0; first < p.n; first += blockDim.x) {
      const int64_t s = first + threadIdx.x;
      const int64_t j = p.reverse ? p.n - 1 - s : s;
      const A x = s < p.n ? load_acc(in + base[0] + j * p.in_stride) : A(0);
      A total;
      const A prefix = block_inclusive_scan(x, shared, &total);
      if (s < p.n)
        out[base[1] + j * p.out_stride] = Elem<T>::store(static_cast<C>(acc_add(carry, prefix)));
      carry = acc_add(carry, total);
    }
  }
}

template <typename T>
lathe_status run_scan(DeviceState* d, const ScanPlan& p, bool per_thread, const lathe_view* in,
                      const lathe_view* out) {
  const T* src = static_cast<const T*>(in->data);
  T* dst = static_cast<T*>(out->data);
  if (per_thread) return launch("scan", d, p.n_lines, scan_lines_kernel<T>, p, src, dst);
  const int threads = row_threads(p.n, p.n > 8192 ? 1024 : 256);
  const unsigned grid = static_cast<unsigned>(std::min<int64_t>(p.n_lines, 1 << 20));
  scan_block_kernel<T><<<grid, threads, 0, d->stream>>>(p, src, dst);
  return check_launch("scan");
}

}  // namespace

// ---------------------------------------------------------------------------------------------

lathe_status reduce(int32_t device, lathe_reduce_op op, const lathe_view* in,
                    const lathe_view* out, uint32_t axes) {
  const char* fn = "reduce";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "in", in));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= LATHE_REDUCE_COUNT)
    return fail(LATHE_ERR_INVALID, "reduce: unknown op %d", static_cast<int>(op));
  const char* name = kReduceNames[op];
  if (out->ndim != in->ndim) {
    return fail(LATHE_ERR_INVALID, "reduce: out has ndim %d but in has ndim %d (keepdim form)",
                out->ndim, in->ndim);
  }
  if ((static_cast<uint64_t>(axes) >> in->ndim) != 0) {
    return fail(LATHE_ERR_INVALID, "reduce: axes mask 0x%x names an axis beyond ndim %d", axes,
                in->ndim);
  }
  int64_t block_shape[LATHE_MAX_DIMS];
  int64_t block_count = 1;
  int32_t reduced_axes = 0;
  for (int32_t k = 0; k < in->ndim; ++k) {
    const bool reduced = (axes >> k) & 1u;
    block_shape[k] = reduced ? in->shape[k] : 1;
    block_count *= block_shape[k];
    reduced_axes += reduced;
    if (out->shape[k] != (reduced ? 1 : in->shape[k])) {
      return fail(LATHE_ERR_INVALID, "reduce: out shape %s does not match in shape %s, axes 0x%x",
                  shape_text(out).text, shape_text(in).text, axes);
    }
  }
  const bool arg = op == LATHE_REDUCE_ARGMAX || op == LATHE_REDUCE_ARGMIN;
  if (arg) {
    if (reduced_axes != 1) {
      return fail(LATHE_ERR_INVALID, "reduce: %s takes exactly one axis, got mask 0x%x", name,
                  axes);
    }
    LATHE_CUDA_RETURN_IF_ERROR(check_dtype_is(fn, "out", out, LATHE_I64));
  } else {
    LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "out", out));
  }
  if (!is_float(in->dtype) && !is_int(in->dtype)) {
    return fail(LATHE_ERR_UNSUPPORTED, "reduce: %s is not supported for %s", name,
                dtype_name(in->dtype));
  }
  if (numel(out) == 0) return LATHE_OK;
  if (block_count == 0 && op != LATHE_REDUCE_SUM) {
    return fail(LATHE_ERR_INVALID, "reduce: %s over an empty axis (in shape %s) has no result",
                name, shape_text(in).text);
  }
  ReducePlan p;
  // out has extent 1 on reduced axes: walking its shape with in's strides visits every
  // block's first element.
  const int64_t* out_strides[] = {in->strides, out->strides};
  p.outs = make_indexer(out->ndim, out->shape, 2, out_strides);
  p.n_out = numel(out);
  const int64_t* red_strides[] = {in->strides};
  p.reduced = make_indexer(in->ndim, block_shape, 1, red_strides);
  p.n_red = block_count;
  p.chunk = 1;
  const int32_t fastest = innermost_dim(in);
  const bool inner = fastest >= 0 && ((axes >> fastest) & 1u) && block_count > 16;
  switch (in->dtype) {
    case LATHE_F32: return run_reduce<float>(d, p, inner, op, in, out);
    case LATHE_F64: return run_reduce<double>(d, p, inner, op, in, out);
    case LATHE_F16: return run_reduce<f16>(d, p, inner, op, in, out);
    case LATHE_BF16: return run_reduce<bf16>(d, p, inner, op, in, out);
    case LATHE_I32: return run_reduce<int32_t>(d, p, inner, op, in, out);
    case LATHE_I64: return run_reduce<int64_t>(d, p, inner, op, in, out);
    default: return unsupported_dtype(fn, in->dtype);
  }
}

lathe_status scan(int32_t device, lathe_scan_op op, const lathe_view* in, const lathe_view* out,
                  int32_t axis, int32_t reverse) {
  const char* fn = "scan";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "in", in));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  if (op != LATHE_SCAN_CUMSUM)
    return fail(LATHE_ERR_INVALID, "scan: unknown op %d", static_cast<int>(op));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "in", in, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_axis(fn, axis, in->ndim));
  if (!is_float(in->dtype) && !is_int(in->dtype)) return unsupported_dtype(fn, in->dtype);
  if (numel(in) == 0) return LATHE_OK;
  int64_t lines[LATHE_MAX_DIMS];
  for (int32_t k = 0; k < in->ndim; ++k) lines[k] = k == axis ? 1 : in->shape[k];
  ScanPlan p;
  const int64_t* strides[] = {in->strides, out->strides};
  p.lines = make_indexer(in->ndim, lines, 2, strides);
  p.n = in->shape[axis];
  p.n_lines = numel(in) / p.n;
  p.in_stride = in->strides[axis];
  p.out_stride = out->strides[axis];
  p.reverse = reverse != 0;
  // A thread per line when lines are short, or when neighbouring lines are neighbours in memory
  // and numerous (coalesced); otherwise a block per line.
  const bool along_fastest = innermost_dim(in) == axis;
  const bool per_thread = p.n <= 32 || (!along_fastest && p.n_lines >= 4096);
  switch (in->dtype) {
    case LATHE_F32: return run_scan<float>(d, p, per_thread, in, out);
    case LATHE_F64: return run_scan<double>(d, p, per_thread, in, out);
    case LATHE_F16: return run_scan<f16>(d, p, per_thread, in, out);
    case LATHE_BF16: return run_scan<bf16>(d, p, per_thread, in, out);
    case LATHE_I32: return run_scan<int32_t>(d, p, per_thread, in, out);
    case LATHE_I64: return run_scan<int64_t>(d, p, per_thread, in, out);
    default: return unsupported_dtype(fn, in->dtype);
  }
}

}  // namespace lathe_cuda
