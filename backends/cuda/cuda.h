// Internal declarations of the cuda backend: per-device state (one stream, one cuBLAS handle),
// errors, the argument checks it shares with the reference backend, temporary device memory,
// and the table's functions (one file per group).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"
#include "backends/checks.h"

namespace lathe_cuda {

// ---- errors ----

// Records a message for last_error() and returns `status` (backends/checks.h).
using lathe_checks::fail;

// A failed CUDA runtime call as a status: out of memory stays out of memory, anything else is
// a device error naming `fn` and CUDA's message. Clears the runtime's last error.
lathe_status cuda_fail(const char* fn, const char* what, cudaError_t err);

#define LATHE_CUDA_RETURN_IF_ERROR(expr)      \
  do {                                        \
    const lathe_status status_ = (expr);      \
    if (status_ != LATHE_OK) return status_;  \
  } while (0)

// ---- devices ----

struct DeviceState {
  int index = 0;
  cudaStream_t stream = nullptr;  // every kernel, copy and cuBLAS call of this device
  cublasHandle_t blas = nullptr;
  int sm_count = 1;
  bool pools = false;        // stream-ordered allocation (cudaMallocAsync) is available
  bool allow_tf32 = false;   // LATHE_CUDA_ALLOW_TF32=1
};

// The number of usable devices (0 without a driver or GPU), fixed for the process.
int32_t visible_devices();

// Checks the device ordinal, creates the device's state on first use and makes the device
// current on this thread.
lathe_status enter(const char* fn, int32_t device, DeviceState** out);

// The status of the kernel launches just issued (launch errors only: a kernel that faults is
// reported by the next synchronizing call).
lathe_status check_launch(const char* fn);

// Blocks for a grid-stride loop over n items: enough to fill the device, never above what a
// 1-d grid allows.
unsigned grid_for(const DeviceState* d, int64_t n, int threads);

// Temporary device memory, stream-ordered: freed when the scope ends, after the work queued
// before that point (later kernels on the stream cannot see it reused too early).
class Scratch {
 public:
  explicit Scratch(DeviceState* d) : d_(d) {}
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  // Allocates `bytes` (kept until the Scratch dies); LATHE_ERR_OUT_OF_MEMORY when it cannot.
  lathe_status get(const char* fn, size_t bytes, void** out);

 private:
  static constexpr int kMaxBlocks = 8;
  DeviceState* d_;
  void* blocks_[kMaxBlocks] = {};
  int count_ = 0;
};

// ---- argument checks, shared with the reference backend (backends/checks.h) ----

using lathe_checks::check_axis;
using lathe_checks::check_dtype_is;
using lathe_checks::check_same_dtype;
using lathe_checks::check_same_shape;
using lathe_checks::check_view;
using lathe_checks::contiguous;
using lathe_checks::dtype_name;
using lathe_checks::is_float;
using lathe_checks::is_int;
using lathe_checks::numel;
using lathe_checks::shape_text;
using lathe_checks::ShapeText;
using lathe_checks::unsupported_dtype;

// ---- the table's kernels ----

lathe_status copy(int32_t device, const lathe_view* src, const lathe_view* dst);
lathe_status fill(int32_t device, const lathe_view* dst, double value);
lathe_status unary(int32_t device, lathe_unary_op op, const lathe_view* in, const lathe_view* out,
                   double a, double b);
lathe_status binary(int32_t device, lathe_binary_op op, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out);
lathe_status where(int32_t device, const lathe_view* cond, const lathe_view* a,
                   const lathe_view* b, const lathe_view* out);
lathe_status reduce(int32_t device, lathe_reduce_op op, const lathe_view* in,
                    const lathe_view* out, uint32_t axes);
lathe_status matmul(int32_t device, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out);
lathe_status gather(int32_t device, const lathe_view* src, const lathe_view* index, int32_t axis,
                    const lathe_view* out);
lathe_status scatter_add(int32_t device, const lathe_view* dst, const lathe_view* index,
                         const lathe_view* src, int32_t axis);
lathe_status scan(int32_t device, lathe_scan_op op, const lathe_view* in, const lathe_view* out,
                  int32_t axis, int32_t reverse);
lathe_status sort(int32_t device, const lathe_view* in, const lathe_view* values,
                  const lathe_view* indices, int32_t axis, int32_t descending);
lathe_status rand(int32_t device, lathe_rand_dist dist, uint64_t seed, uint64_t offset,
                  const lathe_view* out, double a, double b);
int32_t supports(int32_t device, const lathe_fused_call* call);
lathe_status run_fused(int32_t device, const lathe_fused_call* call);

// Reads the first out-of-range position an index check recorded (UINT64_MAX: none) into
// *first; `flag` is device memory. Synchronizes the stream.
lathe_status read_flag(const char* fn, DeviceState* d, const unsigned long long* flag,
                       unsigned long long* first);

// One element of a device view, copied to the host (error messages quote index values).
lathe_status read_element(const char* fn, DeviceState* d, const lathe_view* v, int64_t linear,
                          void* out);

}  // namespace lathe_cuda
