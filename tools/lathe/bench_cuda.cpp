// The cuda half of `lathe bench`: cuBLAS called directly (the matmul cases' peer and the GPU's
// sgemm peak), the device-to-device copy bandwidth, and the torch CUDA peer, which runs in a
// paired Python process (tools/peer/bench_cuda.py) on the same shapes. Built with the cuda
// backend; the buffers here are the bench's own, on the default stream.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

}  // namespace

void cuda_synchronize() { check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

Step cublas_sgemm_step(int64_t m, int64_t k, int64_t n) {
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

Step cuda_copy_step(size_t bytes) {
  auto src = device_buffer(bytes, 1), dst = device_buffer(bytes, 0);
  return [src, dst, bytes] {
    cudaMemcpyAsync(dst.get(), src.get(), bytes, cudaMemcpyDeviceToDevice);
  };
}

std::map<std::string, double> torch_cuda_peer(const std::string& script,
                                              const std::vector<std::string>& cases,
                                              double seconds, std::string* version) {
  std::string names;
  for (const std::string& c : cases) names += (names.empty() ? "" : ",") + c;
  const char* python = std::getenv("LATHE_PYTHON");
  std::string cmd = std::string(python && *python ? python : "python3") + " '" + script +
                    "' --seconds " + std::to_string(seconds) + " --cases " + names;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  LATHE_CHECK(pipe != nullptr, "[bench] cannot run '", cmd, "'");
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  const int status = pclose(pipe.release());
  std::map<std::string, double> ms;
  if (status != 0 || out.empty()) {
    *version = "torch CUDA peer unavailable ('" + cmd + "' failed)";
    return ms;
  }
  nlohmann::json j = nlohmann::json::parse(out);
  *version = j.at("peer").get<std::string>();
  for (auto& [name, value] : j.at("ms").items()) ms[name] = value.get<double>();
  return ms;
}

}  // namespace lathe::bench
