// The cuBLAS half of `lathe bench --device cuda`: cuBLAS called directly (the matmul cases' peer
// and the GPU's sgemm peak) and the device-to-device copy bandwidth. A module of its own
// (liblathe_bench_cuda.so, linking the CUDA runtime and cuBLAS) that bench_cuda_peers.cpp loads
// when a GPU bench runs, so that `lathe` itself links no CUDA library and every other command
// starts without loading cuBLAS. The buffers here are the bench's own, on the default stream.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>

#include "core/error.h"
#include "tools/lathe/bench.h"

namespace lathe::bench {

namespace {

void check_cuda(cudaError_t err, const char* what) {
  LATHE_CHECK(err == cudaSuccess, "[bench] ", what, ": ", cudaGetErrorString(err));
}

// A device buffer freed with the last Step that holds it.
std::shared_ptr<void> device_buffer(size_t bytes, int byte_value) {
  void* p = nullptr;
  check_cuda(cudaMalloc(&p, bytes), "cudaMalloc");
  check_cuda(cudaMemset(p, byte_value, bytes), "cudaMemset");
  return std::shared_ptr<void>(p, [](void* q) { cudaFree(q); });
}

void synchronize() { check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

Step sgemm_step(int64_t m, int64_t k, int64_t n) {
  cublasHandle_t raw = nullptr;
  LATHE_CHECK(cublasCreate(&raw) == CUBLAS_STATUS_SUCCESS, "[bench] cublasCreate failed");
  std::shared_ptr<cublasContext> handle(raw, cublasDestroy);
  // Full f32 arithmetic, as lathe's default (no TF32).
  cublasSetMathMode(raw, CUBLAS_DEFAULT_MATH);
  auto a = device_buffer(m * k * sizeof(float), 0), b = device_buffer(k * n * sizeof(float), 0);
  auto c = device_buffer(m * n * sizeof(float), 0);
  return [handle, a, b, c, m, k, n] {
    const float one = 1.0f, zero = 0.0f;
    // Row-major C = A B is column-major C^T = B^T A^T.
    cublasSgemm(handle.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one,
                static_cast<const float*>(b.get()), n, static_cast<const float*>(a.get()), k,
                &zero, static_cast<float*>(c.get()), n);
  };
}

Step copy_step(size_t bytes) {
  auto src = device_buffer(bytes, 1), dst = device_buffer(bytes, 0);
  return [src, dst, bytes] {
    cudaMemcpyAsync(dst.get(), src.get(), bytes, cudaMemcpyDeviceToDevice);
  };
}

}  // namespace

}  // namespace lathe::bench

extern "C" __attribute__((visibility("default"))) const lathe::bench::CudaPeers*
lathe_bench_cuda_peers() {
  static const lathe::bench::CudaPeers peers{lathe::bench::synchronize,
                                             lathe::bench::sgemm_step,
                                             lathe::bench::copy_step};
  return &peers;
}
