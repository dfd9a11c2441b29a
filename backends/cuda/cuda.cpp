// The cuda backend: devices, memory, host transfers, errors and the function table. Kernels
// live in elementwise.cu, reduce.cu, sort.cu and fused.cu, matmul (cuBLAS) in matmul.cpp.
//
// Execution model: one stream per device, created on first use; every kernel, copy and cuBLAS
// call of a device goes to it in order, so no call needs to wait for the previous one. The
// host waits only where it must: copy_to_host (the result is read), copy_from_host (the source
// may be freed when the call returns), synchronize, and the index checks of gather,
// scatter_add and cross-entropy, whose errors are reported by the call that finds them.
// Memory comes from cudaMalloc; the core's caching allocator sits above it, so a training
// loop stops allocating after its first step.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "backends/cuda/cuda.h"

namespace lathe_cuda {

namespace {

constexpr int kMaxDevices = 16;  // the core's allocator table has as many slots per backend

// What cudaGetDeviceCount said, once per process. Without a driver (or without a GPU) it fails;
// the backend then reports zero devices and keeps the reason for describe().
struct DeviceCount {
  int count = 0;
  char reason[200] = "";
};

const DeviceCount& device_count_info() {
  static const DeviceCount info = [] {
    DeviceCount c;
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
      std::snprintf(c.reason, sizeof c.reason, "cudaGetDeviceCount: %s", cudaGetErrorString(err));
      cudaGetLastError();
      n = 0;
    }
    c.count = n < kMaxDevices ? n : kMaxDevices;
    return c;
  }();
  return info;
}

struct DeviceSlot {
  std::once_flag once;
  DeviceState state;
  lathe_status status = LATHE_OK;
  char message[256] = "";
};

DeviceSlot& slot(int device) {
  static DeviceSlot* slots = new DeviceSlot[kMaxDevices];  // never destroyed: see storage.cpp
  return slots[device];
}

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
}

void init_device(DeviceSlot& s, int device) {
  DeviceState& d = s.state;
  d.index = device;
  d.allow_tf32 = env_flag("LATHE_CUDA_ALLOW_TF32");
  cudaError_t err = cudaSetDevice(device);
  if (err == cudaSuccess)
    err = cudaDeviceGetAttribute(&d.sm_count, cudaDevAttrMultiProcessorCount, device);
  int pools = 0;
  if (err == cudaSuccess)
    err = cudaDeviceGetAttribute(&pools, cudaDevAttrMemoryPoolsSupported, device);
  d.pools = pools != 0;
  // Non-blocking: the legacy default stream (other libraries' work) does not serialize with it.
  if (err == cudaSuccess) err = cudaStreamCreateWithFlags(&d.stream, cudaStreamNonBlocking);
  if (err != cudaSuccess) {
    std::snprintf(s.message, sizeof s.message, "cannot initialize cuda:%d: %s", device,
                  cudaGetErrorString(err));
    s.status = err == cudaErrorMemoryAllocation ? LATHE_ERR_OUT_OF_MEMORY : LATHE_ERR_DEVICE;
    cudaGetLastError();
    return;
  }
  cublasStatus_t bs = cublasCreate(&d.blas);
  if (bs == CUBLAS_STATUS_SUCCESS) bs = cublasSetStream(d.blas, d.stream);
  if (bs != CUBLAS_STATUS_SUCCESS) {
    std::snprintf(s.message, sizeof s.message, "cannot initialize cuBLAS on cuda:%d: %s", device,
                  cublasGetStatusString(bs));
    s.status = bs == CUBLAS_STATUS_ALLOC_FAILED ? LATHE_ERR_OUT_OF_MEMORY : LATHE_ERR_DEVICE;
  }
}

}  // namespace

// ---- errors ----

lathe_status cuda_fail(const char* fn, const char* what, cudaError_t err) {
  cudaGetLastError();  // launch and allocation errors are not sticky: clear them
  const lathe_status status =
      err == cudaErrorMemoryAllocation ? LATHE_ERR_OUT_OF_MEMORY : LATHE_ERR_DEVICE;
  return fail(status, "%s: %s failed: %s", fn, what, cudaGetErrorString(err));
}

// ---- devices ----

int32_t visible_devices() { return device_count_info().count; }

lathe_status enter(const char* fn, int32_t device, DeviceState** out) {
  const int count = device_count_info().count;
  if (device < 0 || device >= count) {
    if (count == 0)
      return fail(LATHE_ERR_DEVICE, "%s: no CUDA device (%s)", fn, device_count_info().reason);
    return fail(LATHE_ERR_DEVICE, "%s: no device %d (%d CUDA device(s))", fn, device, count);
  }
  DeviceSlot& s = slot(device);
  std::call_once(s.once, [&s, device] { init_device(s, device); });
  if (s.status != LATHE_OK) return fail(s.status, "%s: %s", fn, s.message);
  // With one device it is current on every thread already.
  if (count > 1) {
    cudaError_t err = cudaSetDevice(device);
    if (err != cudaSuccess) return cuda_fail(fn, "cudaSetDevice", err);
  }
  *out = &s.state;
  return LATHE_OK;
}

lathe_status check_launch(const char* fn) {
  cudaError_t err = cudaGetLastError();
  return err == cudaSuccess ? LATHE_OK : cuda_fail(fn, "kernel launch", err);
}

unsigned grid_for(const DeviceState* d, int64_t n, int threads) {
  int64_t blocks = (n + threads - 1) / threads;
  const int64_t cap = static_cast<int64_t>(d->sm_count) * 32;  // grid-stride loops do the rest
  if (blocks > cap) blocks = cap;
  return static_cast<unsigned>(blocks < 1 ? 1 : blocks);
}

Scratch::~Scratch() {
  for (int i = 0; i < count_; ++i) {
    if (d_->pools) {
      cudaFreeAsync(blocks_[i], d_->stream);
    } else {
      cudaFree(blocks_[i]);  // synchronizes the device: the queued work is done with the block
    }
  }
}

lathe_status Scratch::get(const char* fn, size_t bytes, void** out) {
  *out = nullptr;
  if (count_ == kMaxBlocks) return fail(LATHE_ERR_INVALID, "%s: too many scratch blocks", fn);
  if (bytes == 0) bytes = 8;
  cudaError_t err = d_->pools ? cudaMallocAsync(out, bytes, d_->stream) : cudaMalloc(out, bytes);
  if (err != cudaSuccess) {
    *out = nullptr;
    cudaGetLastError();
    if (err == cudaErrorMemoryAllocation)
      return fail(LATHE_ERR_OUT_OF_MEMORY, "%s: out of memory for %zu bytes of scratch on cuda:%d",
                  fn, bytes, d_->index);
    return cuda_fail(fn, "scratch allocation", err);
  }
  blocks_[count_++] = *out;
  return LATHE_OK;
}

lathe_status read_flag(const char* fn, DeviceState* d, const unsigned long long* flag,
                       unsigned long long* first) {
  cudaError_t err = cudaMemcpyAsync(first, flag, sizeof *first, cudaMemcpyDeviceToHost, d->stream);
  if (err == cudaSuccess) err = cudaStreamSynchronize(d->stream);
  return err == cudaSuccess ? LATHE_OK : cuda_fail(fn, "reading the index check", err);
}

lathe_status read_element(const char* fn, DeviceState* d, const lathe_view* v, int64_t linear,
                          void* out) {
  int64_t offset = 0;
  for (int32_t k = v->ndim - 1; k >= 0; --k) {
    offset += (linear % v->shape[k]) * v->strides[k];
    linear /= v->shape[k];
  }
  const size_t size = static_cast<size_t>(v->dtype == LATHE_I64 || v->dtype == LATHE_F64 ? 8 : 4);
  const char* p = static_cast<const char*>(v->data) + offset * static_cast<int64_t>(size);
  cudaError_t err = cudaMemcpyAsync(out, p, size, cudaMemcpyDeviceToHost, d->stream);
  if (err == cudaSuccess) err = cudaStreamSynchronize(d->stream);
  return err == cudaSuccess ? LATHE_OK : cuda_fail(fn, "reading an index", err);
}

namespace {

// ---- the table's device and memory functions ----

const char* describe() {
  static const std::string text = [] {
    int runtime = 0, driver = 0, blas_major = 0, blas_minor = 0, blas_patch = 0;
    cudaRuntimeGetVersion(&runtime);
    cudaDriverGetVersion(&driver);
    cublasGetProperty(MAJOR_VERSION, &blas_major);
    cublasGetProperty(MINOR_VERSION, &blas_minor);
    cublasGetProperty(PATCH_LEVEL, &blas_patch);
    cudaGetLastError();
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "cuda: CUDA runtime %d.%d, driver %d.%d, cuBLAS %d.%d.%d, TF32 %s",
                  runtime / 1000, runtime % 1000 / 10, driver / 1000, driver % 1000 / 10,
                  blas_major, blas_minor, blas_patch,
                  env_flag("LATHE_CUDA_ALLOW_TF32") ? "allowed" : "off");
    std::string s = buf;
    const DeviceCount& info = device_count_info();
    if (info.count == 0) return s + "; no device (" + info.reason + ")";
    for (int i = 0; i < info.count; ++i) {
      cudaDeviceProp p;
      if (cudaGetDeviceProperties(&p, i) != cudaSuccess) {
        cudaGetLastError();
        continue;
      }
      std::snprintf(buf, sizeof buf, "; cuda:%d %.200s (sm_%d%d, %.1f GiB)", i, p.name, p.major,
                    p.minor, static_cast<double>(p.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0));
      s += buf;
    }
    return s;
  }();
  return text.c_str();
}

lathe_status alloc(int32_t device, size_t nbytes, void** out) {
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter("alloc", device, &d));
  if (out == nullptr) return fail(LATHE_ERR_INVALID, "alloc: out is NULL");
  *out = nullptr;
  // cudaMalloc aligns to 256 bytes; 0 bytes still gets its own block (a unique pointer).
  cudaError_t err = cudaMalloc(out, nbytes == 0 ? 64 : nbytes);
  if (err == cudaErrorMemoryAllocation) {
    *out = nullptr;
    cudaGetLastError();
    size_t free_bytes = 0, total_bytes = 0;
    cudaMemGetInfo(&free_bytes, &total_bytes);
    cudaGetLastError();
    return fail(LATHE_ERR_OUT_OF_MEMORY,
                "alloc: out of memory allocating %zu bytes on cuda:%d (%zu of %zu bytes free)",
                nbytes, device, free_bytes, total_bytes);
  }
  if (err != cudaSuccess) {
    *out = nullptr;
    return cuda_fail("alloc", "cudaMalloc", err);
  }
  return LATHE_OK;
}

lathe_status release(int32_t device, void* ptr) {
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter("free", device, &d));
  cudaError_t err = cudaFree(ptr);  // waits for the device: queued kernels may still use ptr
  return err == cudaSuccess ? LATHE_OK : cuda_fail("free", "cudaFree", err);
}

lathe_status copy_from_host(int32_t device, void* dst, const void* src, size_t nbytes) {
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter("copy_from_host", device, &d));
  if (nbytes == 0) return LATHE_OK;
  if (dst == nullptr || src == nullptr)
    return fail(LATHE_ERR_INVALID, "copy_from_host: NULL pointer for %zu bytes", nbytes);
  // Waits for the copy: the caller may free or reuse src as soon as this returns.
  cudaError_t err = cudaMemcpyAsync(dst, src, nbytes, cudaMemcpyHostToDevice, d->stream);
  if (err == cudaSuccess) err = cudaStreamSynchronize(d->stream);
  return err == cudaSuccess ? LATHE_OK : cuda_fail("copy_from_host", "cudaMemcpyAsync", err);
}

lathe_status copy_to_host(int32_t device, void* dst, const void* src, size_t nbytes) {
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter("copy_to_host", device, &d));
  if (nbytes == 0) return LATHE_OK;
  if (dst == nullptr || src == nullptr)
    return fail(LATHE_ERR_INVALID, "copy_to_host: NULL pointer for %zu bytes", nbytes);
  // In stream order, after every kernel that writes src; then the host reads dst.
  cudaError_t err = cudaMemcpyAsync(dst, src, nbytes, cudaMemcpyDeviceToHost, d->stream);
  if (err == cudaSuccess) err = cudaStreamSynchronize(d->stream);
  return err == cudaSuccess ? LATHE_OK : cuda_fail("copy_to_host", "cudaMemcpyAsync", err);
}

lathe_status synchronize(int32_t device) {
  DeviceState* d = nullptr;
  LATHE_CUDA_RETURN_IF_ERROR(enter("synchronize", device, &d));
  cudaError_t err = cudaStreamSynchronize(d->stream);
  return err == cudaSuccess ? LATHE_OK : cuda_fail("synchronize", "cudaStreamSynchronize", err);
}

const char* last_error() { return lathe_checks::last_error(); }

lathe_backend make_table() {
  lathe_backend t = {};
  t.abi_version = LATHE_BACKEND_ABI_VERSION;
  t.struct_size = sizeof(lathe_backend);
  t.name = "cuda";
  t.flags = 0;  // device memory: the core moves data with copy_from_host / copy_to_host
  t.device_count = visible_devices;
  t.describe = describe;
  t.alloc = alloc;
  t.free = release;
  t.copy_from_host = copy_from_host;
  t.copy_to_host = copy_to_host;
  t.copy = copy;
  t.fill = fill;
  t.unary = unary;
  t.binary = binary;
  t.where = where;
  t.reduce = reduce;
  t.matmul = matmul;
  t.gather = gather;
  t.scatter_add = scatter_add;
  t.scan = scan;
  t.sort = sort;
  t.rand = rand;
  t.synchronize = synchronize;
  t.last_error = last_error;
  t.supports = supports;
  t.run_fused = run_fused;
  t.set_num_threads = nullptr;  // host threads play no part in its kernels
  return t;
}

}  // namespace

}  // namespace lathe_cuda

extern "C" const lathe_backend* lathe_backend_cuda(void) {
  static const lathe_backend table = lathe_cuda::make_table();
  return &table;
}
