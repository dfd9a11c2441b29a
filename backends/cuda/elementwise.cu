// Elementwise kernels of the cuda backend: copy (with dtype conversion), fill, unary, binary,
// where, rand, gather and scatter_add. Each is one grid-stride loop over an Indexer (dims
// coalesced on the host, so a contiguous or simply broadcast operand costs one multiply per
// element); the per-element rules are element.h's, shared with the host tests. Kernels are
// templated on the storage type, with the op a run-time switch (uniform across the grid, so it
// costs no divergence), which keeps instantiations to one per dtype.
#include <type_traits>

#include "backends/cuda/kernels.cuh"

namespace lathe_cuda {

namespace {

// Strides of `v`, with the one on `axis` zeroed (gather/scatter address it by index value).
void strides_without_axis(const lathe_view* v, int32_t axis, int64_t* strides) {
  for (int32_t d = 0; d < v->ndim; ++d) strides[d] = d == axis ? 0 : v->strides[d];
}

// An Indexer over `shape` for views[k]'s strides (or the given stride arrays).
Indexer indexer_for(const lathe_view* shape, int nops, const int64_t* const* strides) {
  return make_indexer(shape->ndim, shape->shape, nops, strides);
}

// ---- copy, fill ----

template <typename T>
__global__ void copy_same_kernel(Indexer ix, int64_t n, const T* src, T* dst) {
  LATHE_GRID_LOOP(i, n) {
    int64_t off[2];
    indexer_offsets(ix, i, off);
    dst[off[1]] = src[off[0]];
  }
}

__global__ void copy_convert_kernel(Indexer ix, int64_t n, const char* src, lathe_dtype st,
                                    char* dst, lathe_dtype dt) {
  const int64_t ss = dtype_bytes(st), ds = dtype_bytes(dt);
  LATHE_GRID_LOOP(i, n) {
    int64_t off[2];
    indexer_offsets(ix, i, off);
    convert_element(src + off[0] * ss, st, dst + off[1] * ds, dt);
  }
}

template <typename T>
__global__ void fill_kernel(Indexer ix, int64_t n, T* dst, T value) {
  LATHE_GRID_LOOP(i, n) {
    int64_t off[1];
    indexer_offsets(ix, i, off);
    dst[off[0]] = value;
  }
}

// Same-size element copies move bits only: one kernel per element size (U: uint8_t..uint64_t).
template <typename U>
lathe_status copy_bits(const DeviceState* d, const Indexer& ix, int64_t n, const void* src,
                       void* dst) {
  return launch("copy", d, n, copy_same_kernel<U>, ix, n, static_cast<const U*>(src),
                static_cast<U*>(dst));
}

template <typename U>
lathe_status fill_bits(const DeviceState* d, const Indexer& ix, int64_t n, void* dst,
                       uint64_t bits) {
  return launch("fill", d, n, fill_kernel<U>, ix, n, static_cast<U*>(dst), static_cast<U>(bits));
}

// ---- unary ----

template <typename T>
__global__ void unary_kernel(Indexer ix, int64_t n, lathe_unary_op op, const T* in, T* out,
                             double a, double b) {
  using C = typename Elem<T>::C;
  const C ca = static_cast<C>(a), cb = static_cast<C>(b);
  LATHE_GRID_LOOP(i, n) {
    int64_t off[2];
    indexer_offsets(ix, i, off);
    const C x = Elem<T>::load(in[off[0]]);
    C y;
    if constexpr (std::is_integral<C>::value) {
      y = unary_int(op, x);
    } else {
      y = unary_float<C>(op, x, ca, cb);
    }
    out[off[1]] = Elem<T>::store(y);
  }
}

template <typename T>
lathe_status launch_unary(const DeviceState* d, const Indexer& ix, int64_t n, lathe_unary_op op,
                          const lathe_view* in, const lathe_view* out, double a, double b) {
  return launch("unary", d, n, unary_kernel<T>, ix, n, op, static_cast<const T*>(in->data),
                static_cast<T*>(out->data), a, b);
}

// ---- binary ----

template <typename T>
__global__ void binary_kernel(Indexer ix, int64_t n, lathe_binary_op op, const T* a, const T* b,
                              void* out) {
  using C = typename Elem<T>::C;
  const bool to_bool = binary_is_comparison(op) || binary_is_logical(op);
  LATHE_GRID_LOOP(i, n) {
    int64_t off[3];
    indexer_offsets(ix, i, off);
    const C x = Elem<T>::load(a[off[0]]), y = Elem<T>::load(b[off[1]]);
    if (binary_is_comparison(op)) {
      static_cast<uint8_t*>(out)[off[2]] = compare<C>(op, x, y) ? 1 : 0;
    } else if constexpr (std::is_integral<C>::value) {  // ints and bool
      const int64_t r = arith_int(op, x, y);
      if (to_bool) {
        static_cast<uint8_t*>(out)[off[2]] = r != 0 ? 1 : 0;
      } else {
        static_cast<T*>(out)[off[2]] = Elem<T>::store(r);
      }
    } else {
      static_cast<T*>(out)[off[2]] = Elem<T>::store(arith_float<C>(op, x, y));
    }
  }
}

template <typename T>
lathe_status launch_binary(const DeviceState* d, const Indexer& ix, int64_t n, lathe_binary_op op,
                           const lathe_view* a, const lathe_view* b, const lathe_view* out) {
  return launch("binary", d, n, binary_kernel<T>, ix, n, op, static_cast<const T*>(a->data),
                static_cast<const T*>(b->data), out->data);
}

bool binary_supported(lathe_binary_op op, lathe_dtype dt) {
  if (binary_is_logical(op)) return dt == LATHE_BOOL;
  if (binary_is_comparison(op)) {
    return is_float(dt) || is_int(dt) ||
           (dt == LATHE_BOOL && (op == LATHE_BINARY_EQ || op == LATHE_BINARY_NE));
  }
  const bool float_only = op == LATHE_BINARY_DIV || op == LATHE_BINARY_POW ||
                          op == LATHE_BINARY_ATAN2 || op == LATHE_BINARY_HYPOT;
  return is_float(dt) || (is_int(dt) && !float_only);
}

const char* const kUnaryNames[] = {"NEG",     "EXP",  "LOG",      "SQRT", "RSQRT",
                                   "ABS",     "SIGN", "SIN",      "COS",  "TANH",
                                   "SIGMOID", "RELU", "SOFTPLUS", "ERF",  "NOT",
                                   "LOG1P",   "EXPM1", "SINH",    "COSH", "ATANH",
                                   "ASINH",   "ACOSH", "LGAMMA",  "DIGAMMA", "POLYGAMMA",
                                   "ERFINV",  "FLOOR", "CEIL",    "ROUND", "TRUNC"};
static_assert(sizeof kUnaryNames / sizeof kUnaryNames[0] == LATHE_UNARY_COUNT, "unary names");

const char* const kBinaryNames[] = {"ADD", "SUB", "MUL", "DIV", "POW", "MAXIMUM", "MINIMUM", "EQ",
                                    "NE",  "LT",  "LE",  "GT",  "GE",  "AND",     "OR",
                                    "ATAN2", "HYPOT"};
static_assert(sizeof kBinaryNames / sizeof kBinaryNames[0] == LATHE_BINARY_COUNT, "binary names");

// ---- where ----

template <typename U>
__global__ void where_kernel(Indexer ix, int64_t n, const uint8_t* cond, const U* a, const U* b,
                             U* out) {
  LATHE_GRID_LOOP(i, n) {
    int64_t off[4];
    indexer_offsets(ix, i, off);
    out[off[3]] = cond[off[0]] != 0 ? a[off[1]] : b[off[2]];
  }
}

template <typename U>
lathe_status where_bits(const DeviceState* d, const Indexer& ix, int64_t n, const lathe_view* cond,
                        const lathe_view* a, const lathe_view* b, const lathe_view* out) {
  return launch("where", d, n, where_kernel<U>, ix, n, static_cast<const uint8_t*>(cond->data),
                static_cast<const U*>(a->data), static_cast<const U*>(b->data),
                static_cast<U*>(out->data));
}

// ---- rand ----

// Element k of the draw is the row-major index k of out's shape: the Indexer keeps it.
__global__ void rand_kernel(Indexer ix, int64_t n, lathe_rand_dist dist, uint64_t seed,
                            uint64_t offset, char* out, lathe_dtype dt, double a, double b) {
  const int64_t size = dtype_bytes(dt);
  const bool f64 = dt == LATHE_F64;
  LATHE_GRID_LOOP(i, n) {
    int64_t off[1];
    indexer_offsets(ix, i, off);
    const double x = rand_value(dist, seed, offset + static_cast<uint64_t>(i), f64, a, b);
    store_bits(out + off[0] * size, dt, converted_bits(x, dt));
  }
}

// ---- gather, scatter_add ----

// Positions (row-major in index's shape) of out-of-range indices: the smallest one is kept.
__device__ void flag_bad_index(unsigned long long* flag, int64_t position) {
  atomicMin(flag, static_cast<unsigned long long>(position));
}

template <typename U>
__global__ void gather_kernel(Indexer ix, int64_t n, const int64_t* index, const U* src,
                              int64_t axis_stride, int64_t axis_size, U* out,
                              unsigned long long* flag) {
  LATHE_GRID_LOOP(i, n) {
    int64_t off[3];
    indexer_offsets(ix, i, off);
    const int64_t j = index[off[0]];
    if (j < 0 || j >= axis_size) {
      flag_bad_index(flag, i);
      continue;
    }
    out[off[2]] = src[off[1] + j * axis_stride];
  }
}

template <typename U>
lathe_status gather_bits(const DeviceState* d, const Indexer& ix, int64_t n, const lathe_view* src,
                         const lathe_view* index, int32_t axis, const lathe_view* out,
                         unsigned long long* flag) {
  return launch("gather", d, n, gather_kernel<U>, ix, n, static_cast<const int64_t*>(index->data),
                static_cast<const U*>(src->data), src->strides[axis], src->shape[axis],
                static_cast<U*>(out->data), flag);
}

__global__ void check_index_kernel(Indexer ix, int64_t n, const int64_t* index, int64_t axis_size,
                                   unsigned long long* flag) {
  LATHE_GRID_LOOP(i, n) {
    int64_t off[1];
    indexer_offsets(ix, i, off);
    const int64_t j = index[off[0]];
    if (j < 0 || j >= axis_size) flag_bad_index(flag, i);
  }
}

// dst += v, atomically. f16/bf16 have no 16-bit atomic add with the reference's rounding (sum
// in double, round to f32, then to 16 bits), so they update their aligned 32-bit word by
// compare-and-swap, leaving the neighbouring element untouched.
__device__ void atomic_accumulate(float* p, float v) { atomicAdd(p, v); }
__device__ void atomic_accumulate(double* p, double v) { atomicAdd(p, v); }
__device__ void atomic_accumulate(int32_t* p, int32_t v) {
  atomicAdd(reinterpret_cast<int*>(p), static_cast<int>(v));  // wraps like the reference
}
__device__ void atomic_accumulate(int64_t* p, int64_t v) {
  atomicAdd(reinterpret_cast<unsigned long long*>(p), static_cast<unsigned long long>(v));
}

template <typename H>
__device__ void atomic_accumulate_half(H* p, H v) {
  const uintptr_t addr = reinterpret_cast<uintptr_t>(p);
  unsigned int* word = reinterpret_cast<unsigned int*>(addr & ~uintptr_t{3});
  const unsigned shift = (addr & 2) ? 16u : 0u;  // little-endian: the upper half at +2
  const double add = Elem<H>::load(v);
  unsigned int old = *word, assumed;
  do {
    assumed = old;
    H current{static_cast<uint16_t>((assumed >> shift) & 0xffffu)};
    const float sum = static_cast<float>(static_cast<double>(Elem<H>::load(current)) + add);
    const unsigned int bits = Elem<H>::store(sum).bits;
    const unsigned int next = (assumed & ~(0xffffu << shift)) | (bits << shift);
    old = atomicCAS(word, assumed, next);
  } while (old != assumed);
}
__device__ void atomic_accumulate(f16* p, f16 v) { atomic_accumulate_half(p, v); }
__device__ void atomic_accumulate(bf16* p, bf16 v) { atomic_accumulate_half(p, v); }

template <typename T>
__global__ void scatter_add_kernel(Indexer ix, int64_t n, const int64_t* index, const T* src,
                                   T* dst, int64_t axis_stride) {
  LATHE_GRID_LOOP(i, n) {
    int64_t off[3];
    indexer_offsets(ix, i, off);
    atomic_accumulate(dst + off[2] + index[off[0]] * axis_stride, src[off[1]]);
  }
}

template <typename T>
lathe_status launch_scatter_add(const DeviceState* d, const Indexer& ix, int64_t n,
                                const lathe_view* dst, const lathe_view* index,
                                const lathe_view* src, int32_t axis) {
  return launch("scatter_add", d, n, scatter_add_kernel<T>, ix, n,
                static_cast<const int64_t*>(index->data), static_cast<const T*>(src->data),
                static_cast<T*>(dst->data), dst->strides[axis]);
}

// Runs the index check's verdict: LATHE_ERR_INDEX naming the first bad index, as the reference.
lathe_status index_verdict(const char* fn, DeviceState* d, const unsigned long long* flag,
                           const lathe_view* index, int32_t axis, int64_t size) {
  unsigned long long first = 0;
  LATHE_CUDA_RETURN_IF_ERROR(read_flag(fn, d, flag, &first));
  if (first == ~0ull) return LATHE_OK;
  int64_t value = 0;
  LATHE_CUDA_RETURN_IF_ERROR(read_element(fn, d, index, static_cast<int64_t>(first), &value));
  return fail(LATHE_ERR_INDEX, "%s: index %lld is out of range for axis %d of size %lld", fn,
              static_cast<long long>(value), axis, static_cast<long long>(size));
}

// A device word set to "no bad index yet" (all ones).
lathe_status new_flag(const char* fn, DeviceState* d, Scratch& scratch,
                      unsigned long long** flag) {
  void* p = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(scratch.get(fn, sizeof(unsigned long long), &p));
  cudaError_t err = cudaMemsetAsync(p, 0xff, sizeof(unsigned long long), d->stream);
  if (err != cudaSuccess) return cuda_fail(fn, "cudaMemsetAsync", err);
  *flag = static_cast<unsigned long long*>(p);
  return LATHE_OK;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

lathe_status copy(int32_t device, const lathe_view* src, const lathe_view* dst) {
  const char* fn = "copy";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "src", src));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "dst", dst));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "src", src, "dst", dst));
  const int64_t* strides[] = {src->strides, dst->strides};
  const Indexer ix = indexer_for(dst, 2, strides);
  const int64_t n = numel(dst);
  if (src->dtype == dst->dtype) {
    switch (dtype_bytes(dst->dtype)) {
      case 8: return copy_bits<uint64_t>(d, ix, n, src->data, dst->data);
      case 4: return copy_bits<uint32_t>(d, ix, n, src->data, dst->data);
      case 2: return copy_bits<uint16_t>(d, ix, n, src->data, dst->data);
      default: return copy_bits<uint8_t>(d, ix, n, src->data, dst->data);
    }
  }
  return launch(fn, d, n, copy_convert_kernel, ix, n, static_cast<const char*>(src->data),
                src->dtype, static_cast<char*>(dst->data), dst->dtype);
}

lathe_status fill(int32_t device, const lathe_view* dst, double value) {
  const char* fn = "fill";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "dst", dst));
  const int64_t* strides[] = {dst->strides};
  const Indexer ix = indexer_for(dst, 1, strides);
  const int64_t n = numel(dst);
  const uint64_t bits = converted_bits(value, dst->dtype);  // the host applies copy's rules
  switch (dtype_bytes(dst->dtype)) {
    case 8: return fill_bits<uint64_t>(d, ix, n, dst->data, bits);
    case 4: return fill_bits<uint32_t>(d, ix, n, dst->data, bits);
    case 2: return fill_bits<uint16_t>(d, ix, n, dst->data, bits);
    default: return fill_bits<uint8_t>(d, ix, n, dst->data, bits);
  }
}

lathe_status unary(int32_t device, lathe_unary_op op, const lathe_view* in, const lathe_view* out,
                   double a, double b) {
  const char* fn = "unary";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "in", in));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "in", in, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "in", in, "out", out));
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= LATHE_UNARY_COUNT)
    return fail(LATHE_ERR_INVALID, "unary: unknown op %d", static_cast<int>(op));
  const lathe_dtype dt = in->dtype;
  const bool supported =
      op == LATHE_UNARY_NOT ? dt == LATHE_BOOL : is_float(dt) || (is_int(dt) && unary_has_int(op));
  if (!supported) {
    return fail(LATHE_ERR_UNSUPPORTED, "unary: %s is not supported for %s", kUnaryNames[op],
                dtype_name(dt));
  }
  const int64_t* strides[] = {in->strides, out->strides};
  const Indexer ix = indexer_for(out, 2, strides);
  const int64_t n = numel(out);
  switch (dt) {
    case LATHE_F32: return launch_unary<float>(d, ix, n, op, in, out, a, b);
    case LATHE_F64: return launch_unary<double>(d, ix, n, op, in, out, a, b);
    case LATHE_F16: return launch_unary<f16>(d, ix, n, op, in, out, a, b);
    case LATHE_BF16: return launch_unary<bf16>(d, ix, n, op, in, out, a, b);
    case LATHE_I32: return launch_unary<int32_t>(d, ix, n, op, in, out, a, b);
    case LATHE_I64: return launch_unary<int64_t>(d, ix, n, op, in, out, a, b);
    case LATHE_BOOL: return launch_unary<uint8_t>(d, ix, n, op, in, out, a, b);
  }
  return unsupported_dtype(fn, dt);
}

lathe_status binary(int32_t device, lathe_binary_op op, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out) {
  const char* fn = "binary";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "a", a));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "b", b));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "a", a, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "b", b, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "a", a, "b", b));
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= LATHE_BINARY_COUNT)
    return fail(LATHE_ERR_INVALID, "binary: unknown op %d", static_cast<int>(op));
  const lathe_dtype dt = a->dtype;
  const bool to_bool = binary_is_comparison(op) || binary_is_logical(op);
  if (out->dtype != (to_bool ? LATHE_BOOL : dt)) {
    return fail(LATHE_ERR_INVALID, "binary: %s of %s gives %s, but out is %s", kBinaryNames[op],
                dtype_name(dt), dtype_name(to_bool ? LATHE_BOOL : dt), dtype_name(out->dtype));
  }
  if (!binary_supported(op, dt)) {
    return fail(LATHE_ERR_UNSUPPORTED, "binary: %s is not supported for %s", kBinaryNames[op],
                dtype_name(dt));
  }
  const int64_t* strides[] = {a->strides, b->strides, out->strides};
  const Indexer ix = indexer_for(out, 3, strides);
  const int64_t n = numel(out);
  switch (dt) {
    case LATHE_F32: return launch_binary<float>(d, ix, n, op, a, b, out);
    case LATHE_F64: return launch_binary<double>(d, ix, n, op, a, b, out);
    case LATHE_F16: return launch_binary<f16>(d, ix, n, op, a, b, out);
    case LATHE_BF16: return launch_binary<bf16>(d, ix, n, op, a, b, out);
    case LATHE_I32: return launch_binary<int32_t>(d, ix, n, op, a, b, out);
    case LATHE_I64: return launch_binary<int64_t>(d, ix, n, op, a, b, out);
    case LATHE_BOOL: return launch_binary<uint8_t>(d, ix, n, op, a, b, out);
  }
  return unsupported_dtype(fn, dt);
}

lathe_status where(int32_t device, const lathe_view* cond, const lathe_view* a,
                   const lathe_view* b, const lathe_view* out) {
  const char* fn = "where";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "cond", cond));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "a", a));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "b", b));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "cond", cond, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "a", a, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "b", b, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_dtype_is(fn, "cond", cond, LATHE_BOOL));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "a", a, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "b", b, "out", out));
  const int64_t* strides[] = {cond->strides, a->strides, b->strides, out->strides};
  const Indexer ix = indexer_for(out, 4, strides);
  const int64_t n = numel(out);
  switch (dtype_bytes(out->dtype)) {
    case 8: return where_bits<uint64_t>(d, ix, n, cond, a, b, out);
    case 4: return where_bits<uint32_t>(d, ix, n, cond, a, b, out);
    case 2: return where_bits<uint16_t>(d, ix, n, cond, a, b, out);
    default: return where_bits<uint8_t>(d, ix, n, cond, a, b, out);
  }
}

lathe_status rand(int32_t device, lathe_rand_dist dist, uint64_t seed, uint64_t offset,
                  const lathe_view* out, double a, double b) {
  const char* fn = "rand";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  if (dist != LATHE_RAND_UNIFORM && dist != LATHE_RAND_NORMAL)
    return fail(LATHE_ERR_INVALID, "rand: unknown distribution %d", static_cast<int>(dist));
  if (!is_float(out->dtype)) return unsupported_dtype(fn, out->dtype);
  const int64_t* strides[] = {out->strides};
  const Indexer ix = indexer_for(out, 1, strides);
  const int64_t n = numel(out);
  return launch(fn, d, n, rand_kernel, ix, n, dist, seed, offset, static_cast<char*>(out->data),
                out->dtype, a, b);
}

lathe_status gather(int32_t device, const lathe_view* src, const lathe_view* index, int32_t axis,
                    const lathe_view* out) {
  const char* fn = "gather";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "src", src));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "index", index));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_dtype_is(fn, "index", index, LATHE_I64));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "src", src, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_shape(fn, "index", index, "out", out));
  LATHE_CUDA_RETURN_IF_ERROR(check_axis(fn, axis, src->ndim));
  bool fits = index->ndim == src->ndim;
  for (int32_t k = 0; fits && k < src->ndim; ++k)
    fits = k == axis || index->shape[k] <= src->shape[k];
  if (!fits) {
    return fail(LATHE_ERR_INVALID, "gather: index shape %s does not fit src shape %s off axis %d",
                shape_text(index).text, shape_text(src).text, axis);
  }
  const int64_t n = numel(index);
  if (n == 0) return LATHE_OK;
  int64_t src_strides[LATHE_MAX_DIMS];
  strides_without_axis(src, axis, src_strides);
  const int64_t* strides[] = {index->strides, src_strides, out->strides};
  const Indexer ix = indexer_for(index, 3, strides);
  Scratch scratch(d);
  unsigned long long* flag = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(new_flag(fn, d, scratch, &flag));
  lathe_status s;
  switch (dtype_bytes(src->dtype)) {
    case 8: s = gather_bits<uint64_t>(d, ix, n, src, index, axis, out, flag); break;
    case 4: s = gather_bits<uint32_t>(d, ix, n, src, index, axis, out, flag); break;
    case 2: s = gather_bits<uint16_t>(d, ix, n, src, index, axis, out, flag); break;
    default: s = gather_bits<uint8_t>(d, ix, n, src, index, axis, out, flag); break;
  }
  LATHE_CUDA_RETURN_IF_ERROR(s);
  return index_verdict(fn, d, flag, index, axis, src->shape[axis]);
}

lathe_status scatter_add(int32_t device, const lathe_view* dst, const lathe_view* index,
                         const lathe_view* src, int32_t axis) {
  const char* fn = "scatter_add";
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter(fn, device, &d));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "dst", dst));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "index", index));
  LATHE_CUDA_RETURN_IF_ERROR(check_view(fn, "src", src));
  LATHE_CUDA_RETURN_IF_ERROR(check_dtype_is(fn, "index", index, LATHE_I64));
  LATHE_CUDA_RETURN_IF_ERROR(check_same_dtype(fn, "src", src, "dst", dst));
  LATHE_CUDA_RETURN_IF_ERROR(check_axis(fn, axis, dst->ndim));
  bool fits = index->ndim == dst->ndim && src->ndim == dst->ndim;
  for (int32_t k = 0; fits && k < dst->ndim; ++k) {
    fits = index->shape[k] <= src->shape[k] && (k == axis || index->shape[k] <= dst->shape[k]);
  }
  if (!fits) {
    return fail(LATHE_ERR_INVALID,
                "scatter_add: index shape %s does not fit src shape %s and dst shape %s (axis %d)",
                shape_text(index).text, shape_text(src).text, shape_text(dst).text, axis);
  }
  if (!is_float(dst->dtype) && !is_int(dst->dtype)) return unsupported_dtype(fn, dst->dtype);
  const int64_t n = numel(index);
  if (n == 0) return LATHE_OK;
  // Every index is checked before anything is written, so on LATHE_ERR_INDEX dst is unchanged
  // (as with the reference backend).
  const int64_t size = dst->shape[axis];
  {
    const int64_t* strides[] = {index->strides};
    const Indexer ix = indexer_for(index, 1, strides);
    Scratch scratch(d);
    unsigned long long* flag = nullptr;
    LATHE_CUDA_RETURN_IF_ERROR(new_flag(fn, d, scratch, &flag));
    LATHE_CUDA_RETURN_IF_ERROR(launch(fn, d, n, check_index_kernel, ix, n,
                                      static_cast<const int64_t*>(index->data), size, flag));
    LATHE_CUDA_RETURN_IF_ERROR(index_verdict(fn, d, flag, index, axis, size));
  }
  int64_t dst_strides[LATHE_MAX_DIMS];
  strides_without_axis(dst, axis, dst_strides);
  const int64_t* strides[] = {index->strides, src->strides, dst_strides};
  const Indexer ix = indexer_for(index, 3, strides);
  switch (dst->dtype) {
    case LATHE_F32: return launch_scatter_add<float>(d, ix, n, dst, index, src, axis);
    case LATHE_F64: return launch_scatter_add<double>(d, ix, n, dst, index, src, axis);
    case LATHE_F16: return launch_scatter_add<f16>(d, ix, n, dst, index, src, axis);
    case LATHE_BF16: return launch_scatter_add<bf16>(d, ix, n, dst, index, src, axis);
    case LATHE_I32: return launch_scatter_add<int32_t>(d, ix, n, dst, index, src, axis);
    case LATHE_I64: return launch_scatter_add<int64_t>(d, ix, n, dst, index, src, axis);
    default: return unsupported_dtype(fn, dst->dtype);
  }
}

}  // namespace lathe_cuda
