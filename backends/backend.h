/* lathe backend interface: the whole contract between the core and a compute backend.
 *
 * A backend is a table of C functions over `lathe_view`s (pointer + dtype + shape + strides).
 * It never sees tensors, autograd or the op registry. The core has already:
 *   - allocated every output with the right shape and dtype on the backend's device,
 *   - broadcast inputs to the output shape (stride 0 on broadcast dims),
 *   - cast inputs of elementwise ops to one common dtype.
 * So every kernel below gets views of equal shape unless its comment says otherwise.
 *
 * A backend exports one symbol, `lathe_backend_entry`, returning its table; a backend compiled
 * into the library exports a uniquely named function instead (`lathe_backend_<name>`).
 * Every function returns LATHE_OK or an error status; on error, `last_error()` gives a message
 * for the calling thread. Kernels must never abort or print. LATHE_ERR_UNSUPPORTED means the
 * arguments are consistent but this backend does not compute that case (a dtype, an op);
 * LATHE_ERR_INVALID means they contradict each other or this contract.
 *
 * Aliasing: the output of an elementwise kernel (unary, binary, where, copy) may be exactly the
 * same view as one of its inputs (in-place ops rely on it). No other overlap between outputs and
 * inputs occurs. After an error, the contents of outputs are unspecified.
 *
 * Required: every function pointer except those marked optional. See backends/reference/ for the
 * specification every backend is tested against (the conformance suite).
 */
#ifndef LATHE_BACKEND_H
#define LATHE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LATHE_BACKEND_ABI_VERSION 1
#define LATHE_MAX_DIMS 8

/* Element types. bool is one byte (0 or 1); f16 and bf16 are IEEE binary16 and bfloat16 bit
 * patterns stored as uint16 and computed in f32 or better. */
typedef enum lathe_dtype {
  LATHE_F32 = 0,
  LATHE_F64 = 1,
  LATHE_I32 = 2,
  LATHE_I64 = 3,
  LATHE_BOOL = 4,
  LATHE_F16 = 5,
  LATHE_BF16 = 6
} lathe_dtype;

/* A strided view of device memory. `data` points at the first element (offset applied).
 * Strides count elements, not bytes; a stride of 0 repeats an element (broadcast).
 * ndim may be 0 (a scalar: one element). */
typedef struct lathe_view {
  void* data;
  lathe_dtype dtype;
  int32_t ndim;
  int64_t shape[LATHE_MAX_DIMS];
  int64_t strides[LATHE_MAX_DIMS];
} lathe_view;

typedef enum lathe_status {
  LATHE_OK = 0,
  LATHE_ERR_INVALID = 1,       /* arguments the backend cannot make sense of */
  LATHE_ERR_UNSUPPORTED = 2,   /* valid, but this backend does not implement it (dtype, op) */
  LATHE_ERR_OUT_OF_MEMORY = 3,
  LATHE_ERR_DEVICE = 4,        /* no such device, driver failure */
  LATHE_ERR_INDEX = 5          /* an index value out of range (gather, scatter_add) */
} lathe_status;

/* unary: out = f(in), in and out of one dtype except NOT (bool -> bool). Ops after NOT were
 * added later (float dtypes only); a backend built before them answers LATHE_ERR_INVALID.
 * Parameters a and b are used by: SOFTPLUS (a = beta != 0, b = threshold:
 * out = in if beta*in > threshold else log1p(exp(beta*in)) / beta). */
typedef enum lathe_unary_op {
  LATHE_UNARY_NEG = 0,
  LATHE_UNARY_EXP,
  LATHE_UNARY_LOG,
  LATHE_UNARY_SQRT,
  LATHE_UNARY_RSQRT,
  LATHE_UNARY_ABS,
  LATHE_UNARY_SIGN,     /* -1, 0, +1; NaN -> NaN */
  LATHE_UNARY_SIN,
  LATHE_UNARY_COS,
  LATHE_UNARY_TANH,
  LATHE_UNARY_SIGMOID,
  LATHE_UNARY_RELU,
  LATHE_UNARY_SOFTPLUS,
  LATHE_UNARY_ERF,
  LATHE_UNARY_NOT,      /* logical not of bool */
  LATHE_UNARY_LOG1P,
  LATHE_UNARY_EXPM1,
  LATHE_UNARY_SINH,
  LATHE_UNARY_COSH,
  LATHE_UNARY_ATANH,
  LATHE_UNARY_ASINH,
  LATHE_UNARY_ACOSH,
  LATHE_UNARY_LGAMMA,   /* log|Gamma(x)|; +inf at the poles 0, -1, -2, ... */
  LATHE_UNARY_DIGAMMA,  /* backends/special.h: -inf at +0, +inf at -0, NaN at -1, -2, ... */
  LATHE_UNARY_POLYGAMMA, /* a = order n >= 1 (backends/special.h): (-1)^(n+1) inf at the poles */
  LATHE_UNARY_ERFINV,   /* inverse of erf on [-1, 1]; +-inf at +-1, NaN outside */
  LATHE_UNARY_FLOOR,
  LATHE_UNARY_CEIL,
  LATHE_UNARY_ROUND,    /* halves to even, as nearbyint() */
  LATHE_UNARY_TRUNC,
  LATHE_UNARY_COUNT
} lathe_unary_op;

/* binary: out = a op b. Arithmetic: a, b, out share one dtype (ints allowed for ADD, SUB, MUL,
 * MAXIMUM, MINIMUM). Comparisons: a and b share a dtype, out is bool. AND/OR: all bool.
 * MAXIMUM/MINIMUM propagate NaN. POW follows C pow(). */
typedef enum lathe_binary_op {
  LATHE_BINARY_ADD = 0,
  LATHE_BINARY_SUB,
  LATHE_BINARY_MUL,
  LATHE_BINARY_DIV,
  LATHE_BINARY_POW,
  LATHE_BINARY_MAXIMUM,
  LATHE_BINARY_MINIMUM,
  LATHE_BINARY_EQ,
  LATHE_BINARY_NE,
  LATHE_BINARY_LT,
  LATHE_BINARY_LE,
  LATHE_BINARY_GT,
  LATHE_BINARY_GE,
  LATHE_BINARY_AND,
  LATHE_BINARY_OR,
  LATHE_BINARY_ATAN2,   /* atan2(a, b), floats only */
  LATHE_BINARY_HYPOT,   /* hypot(a, b) = sqrt(a^2 + b^2) without overflow, floats only */
  LATHE_BINARY_COUNT
} lathe_binary_op;

/* reduce: `out` has the same ndim as `in`, with extent 1 on every reduced axis (keepdim form);
 * bit i of `axes` is set when axis i is reduced. SUM/MAX/MIN: out has in's dtype (ints allowed;
 * f16/bf16 accumulate in f32); MAX/MIN propagate NaN. ARGMAX/ARGMIN: exactly one axis, out is
 * i64, ties resolve to the first index, NaN counts as the maximum (and as the minimum).
 * Floating reductions accumulate in f32 or better (the reference uses double). */
typedef enum lathe_reduce_op {
  LATHE_REDUCE_SUM = 0,
  LATHE_REDUCE_MAX,
  LATHE_REDUCE_MIN,
  LATHE_REDUCE_ARGMAX,
  LATHE_REDUCE_ARGMIN,
  LATHE_REDUCE_COUNT
} lathe_reduce_op;

/* scan along one axis: out[..., i, ...] = sum of in[..., j, ...] for j <= i (reverse: j >= i). */
typedef enum lathe_scan_op {
  LATHE_SCAN_CUMSUM = 0,
  LATHE_SCAN_COUNT
} lathe_scan_op;

/* rand: fills `out` (f32, f64, f16 or bf16) with draws from a counter-based generator, so every
 * backend produces the same numbers for the same (seed, offset):
 *   element k (k = row-major index in out's shape) takes r[0..3] = Philox4x32-10 with
 *   key (seed & 0xffffffff, seed >> 32) and counter (c & 0xffffffff, c >> 32, 0, 0), c = offset + k
 *   (backends/philox.h implements it);
 *   UNIFORM: u = (r[0] >> 8) * 2^-24 for f32/f16/bf16 outputs, u = ((r[0] << 32 | r[1]) >> 11) * 2^-53
 *            for f64; out = a + (b - a) * u, computed in double and rounded to out's dtype.
 *   NORMAL:  u1 = 1 - ((r[0] << 32 | r[1]) >> 11) * 2^-53, u2 = ((r[2] << 32 | r[3]) >> 11) * 2^-53,
 *            out = a + b * sqrt(-2 ln u1) * cos(2 pi u2), computed in double. */
typedef enum lathe_rand_dist {
  LATHE_RAND_UNIFORM = 0,
  LATHE_RAND_NORMAL = 1
} lathe_rand_dist;

/* A call to an optional fused kernel (see supports/run_fused). The op name and the meaning of
 * inputs, outputs and attrs are documented beside the op in the core that issues the call. */
typedef struct lathe_fused_call {
  const char* op;
  int32_t n_inputs;
  const lathe_view* inputs;
  int32_t n_outputs;
  const lathe_view* outputs;
  int32_t n_attrs;
  const double* attrs;
} lathe_fused_call;

enum {
  LATHE_BACKEND_HOST_MEMORY = 1 /* data pointers are ordinary host memory */
};

typedef struct lathe_backend {
  uint32_t abi_version; /* LATHE_BACKEND_ABI_VERSION */
  uint32_t struct_size; /* sizeof(lathe_backend) as the backend was compiled */
  const char* name;     /* "reference", "cpu", "cuda": the device-type name users select */
  uint32_t flags;       /* LATHE_BACKEND_* */

  /* Number of devices usable now; 0 means "built, no device" (not an error). */
  int32_t (*device_count)(void);
  /* One line for `lathe info`: versions, threads, device names. Static storage. */
  const char* (*describe)(void);

  /* Memory. alloc returns memory aligned to at least 64 bytes; nbytes may be 0. */
  lathe_status (*alloc)(int32_t device, size_t nbytes, void** out);
  lathe_status (*free)(int32_t device, void* ptr);
  lathe_status (*copy_from_host)(int32_t device, void* dst, const void* src, size_t nbytes);
  lathe_status (*copy_to_host)(int32_t device, void* dst, const void* src, size_t nbytes);

  /* Strided copy with dtype conversion (src and dst of equal shape). float -> int truncates
   * toward zero and saturates at the integer type's limits, NaN -> 0; anything -> bool is
   * (x != 0). fill converts its double value the same way (so i64 beyond 2^53 is inexact). */
  lathe_status (*copy)(int32_t device, const lathe_view* src, const lathe_view* dst);
  lathe_status (*fill)(int32_t device, const lathe_view* dst, double value);

  lathe_status (*unary)(int32_t device, lathe_unary_op op, const lathe_view* in,
                        const lathe_view* out, double a, double b);
  lathe_status (*binary)(int32_t device, lathe_binary_op op, const lathe_view* a,
                         const lathe_view* b, const lathe_view* out);
  /* out = cond ? a : b; cond is bool, a, b and out share a dtype. */
  lathe_status (*where)(int32_t device, const lathe_view* cond, const lathe_view* a,
                        const lathe_view* b, const lathe_view* out);
  lathe_status (*reduce)(int32_t device, lathe_reduce_op op, const lathe_view* in,
                         const lathe_view* out, uint32_t axes);
  /* Batched matmul: a [..., M, K] x b [..., K, N] -> out [..., M, N]; all of one float dtype and
   * one ndim >= 2, batch extents equal (a or b may have stride 0 there); any strides. */
  lathe_status (*matmul)(int32_t device, const lathe_view* a, const lathe_view* b,
                         const lathe_view* out);
  /* out[p] = src[p with p[axis] = index[p]]; index is i64 and has out's shape; for d != axis,
   * index.shape[d] <= src.shape[d]. An index outside [0, src.shape[axis]) is LATHE_ERR_INDEX
   * (negative indices included: the core never passes Python-style ones). Views have ndim >= 1
   * for gather, scatter_add, scan, sort and ARG* reductions (the core handles 0-d tensors). */
  lathe_status (*gather)(int32_t device, const lathe_view* src, const lathe_view* index,
                         int32_t axis, const lathe_view* out);
  /* dst[p with p[axis] = index[p]] += src[p] for every p in index's shape (src at least as large
   * as index, dst as large except along axis). dst is updated in place. */
  lathe_status (*scatter_add)(int32_t device, const lathe_view* dst, const lathe_view* index,
                              const lathe_view* src, int32_t axis);
  lathe_status (*scan)(int32_t device, lathe_scan_op op, const lathe_view* in,
                       const lathe_view* out, int32_t axis, int32_t reverse);
  /* Stable sort along axis: values (in's dtype) and indices (i64) of in's shape. NaN sorts as
   * larger than every number. */
  lathe_status (*sort)(int32_t device, const lathe_view* in, const lathe_view* values,
                       const lathe_view* indices, int32_t axis, int32_t descending);
  lathe_status (*rand)(int32_t device, lathe_rand_dist dist, uint64_t seed, uint64_t offset,
                       const lathe_view* out, double a, double b);

  lathe_status (*synchronize)(int32_t device);
  /* Message of the last failed call on this thread. Never NULL. */
  const char* (*last_error)(void);

  /* Optional fused kernels (may be NULL). `supports` answers without side effects whether
   * run_fused would accept this call (op name, dtypes, shapes, strides, attrs). */
  int32_t (*supports)(int32_t device, const lathe_fused_call* call);
  lathe_status (*run_fused)(int32_t device, const lathe_fused_call* call);

  /* Optional (may be NULL): the number of threads the backend's kernels (and the libraries it
   * calls) may use; n >= 1. Returns the number now in effect. */
  int32_t (*set_num_threads)(int32_t n);
} lathe_backend;

/* The symbol a shared-library backend exports. */
typedef const lathe_backend* (*lathe_backend_entry_fn)(void);
const lathe_backend* lathe_backend_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* LATHE_BACKEND_H */
