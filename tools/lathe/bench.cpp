// `lathe bench`: lathe against its peers, at 1 thread and at all threads. Every case times a
// lathe step and each peer's step on the same inputs, alternating samples so drift in machine
// speed hits both, and reports medians, the ratio lathe / peer, and achieved GFLOP/s or GB/s as
// a fraction of this machine's peaks measured in the same run (sgemm through OpenBLAS, memcpy).
// Direct OpenBLAS runs in this process. The libtorch peers run in paired processes of their own
// (tools/peer/torch_peer.cpp): Debian's libtorch 1.13 (lathe-libtorch-peer) and PyTorch 2.x's
// (lathe-torch-peer), each timed in blocks that alternate with lathe's. `lathe` itself links no
// peer, so every command starts fast whatever is installed.
//
// `--device cuda`: the GPU cases on the GPU, against cuBLAS called directly and torch CUDA in a
// paired Python process started by the same run (bench_cuda.cpp); the peaks are cuBLAS sgemm
// and the device-to-device copy bandwidth. Each sample ends with a synchronize.
#include <algorithm>
#include <chrono>
#include <thread>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "lathe.h"
#include "losses/divergence/sinkhorn_softmin.h"
#include "models/linear.h"
#include "tools/lathe/bench.h"
#include "tools/lathe/commands.h"

#ifdef LATHE_WITH_CPU_BACKEND
#include <cblas.h>
#include <dnnl.h>
#include <omp.h>
#endif

namespace lathe::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct Peer {
  std::string name;
  Step step;            // timed here, in turns with lathe's step
  double ms = 0;        // or already timed by a paired process (torch CUDA)
  int remote = -1;      // or timed during measure() by this paired peer process (an index)
};

struct Case {
  std::string name;
  std::string what;
  Step lathe;
  std::vector<Peer> peers;
  int inner = 1;       // steps per timed sample, for steps far below a microsecond... or close
  double flops = 0;    // per step
  double bytes = 0;    // per step, read + written
  bool memory = false; // also compare peak memory with the libtorch peer
};

struct Options {
  std::string threads = "1,all";
  std::string only;
  double seconds = 1.0;  // per case and thread count, shared by lathe and its peers
  bool json = false;
  std::string device;  // empty: the default device, with the host cases
#ifdef LATHE_WITH_CUDA_PEERS
  std::string cuda_peer = LATHE_CUDA_PEER_SCRIPT;
#endif
#ifdef LATHE_LIBTORCH_PEER
  std::string libtorch_peer = LATHE_LIBTORCH_PEER;
#else
  std::string libtorch_peer;
#endif
#ifdef LATHE_TORCH_PEER
  std::string torch_peer = LATHE_TORCH_PEER;
#else
  std::string torch_peer;
#endif
};

// The device the cases run on, and what waits for its queued work (nothing on host backends).
Device g_device;
bool g_gpu = false;

void sync() {
  if (!g_gpu) return;
  synchronize(g_device);
#ifdef LATHE_WITH_CUDA_PEERS
  cuda_peers().synchronize();  // the cuBLAS peer's default stream
#endif
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double time_once(const Step& step, int inner) {
  auto t0 = Clock::now();
  for (int i = 0; i < inner; ++i) step();
  sync();
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / inner;
}

// Median milliseconds per step of every step in `steps`, sampled in turns, then of the case
// each paired process in `remotes` has chosen. The processes take turns in blocks, each block
// preceded by a pause: OpenMP workers spin for a while after their last parallel region, and on
// a small machine the side that just ran would slow the other.
std::vector<double> measure(const std::vector<const Step*>& steps, int inner, double seconds,
                            const std::vector<PeerProcess*>& remotes = {}) {
  for (const Step* s : steps)
    for (int i = 0; i < 3; ++i) time_once(*s, inner);  // warm caches, pools, primitive caches
  const int blocks = remotes.empty() ? 1 : 4;
  const double block_seconds = seconds / blocks;
  auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); };
  std::vector<std::vector<double>> samples(steps.size() + remotes.size());
  for (int block = 0; block < blocks; ++block) {
    if (!remotes.empty()) pause();
    auto start = Clock::now();
    for (int round = 0; round < 1000; ++round) {
      for (size_t k = 0; k < steps.size(); ++k) samples[k].push_back(time_once(*steps[k], inner));
      double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      if (round >= 9 / blocks && elapsed > block_seconds) break;
    }
    for (size_t j = 0; j < remotes.size(); ++j) {
      pause();
      std::vector<double>& got = samples[steps.size() + j];
      std::istringstream reply(remotes[j]->ask("time " + std::to_string(inner) + " " +
                                               std::to_string(block_seconds)));
      for (double ms; reply >> ms;) got.push_back(ms);
      LATHE_CHECK(!got.empty(), "[bench] peer '", remotes[j]->program(), "' sent no samples");
    }
  }
  std::vector<double> medians;
  for (auto& s : samples) medians.push_back(median(s));
  return medians;
}

// ---- peaks ----

struct Peaks {
  double sgemm_gflops = 0;
  double memcpy_gbps = 0;
};

Peaks measure_peaks(double seconds) {
  Peaks p;
  if (g_gpu) {
#ifdef LATHE_WITH_CUDA_PEERS
    const int64_t n = 4096;
    Step gemm = cuda_peers().sgemm_step(n, n, n);
    p.sgemm_gflops = 2.0 * n * n * n / (measure({&gemm}, 1, seconds)[0] * 1e6);
    const size_t bytes = size_t(1) << 30;
    Step copy = cuda_peers().copy_step(bytes);
    p.memcpy_gbps = 2.0 * bytes / (measure({&copy}, 1, seconds)[0] * 1e6);  // read + write
#endif
    return p;
  }
#ifdef LATHE_WITH_CPU_BACKEND
  // The best sgemm rate this machine shows: both BLAS libraries lathe can call, two sizes (at
  // some thread counts one size alone underestimates the peak).
  for (int n : {512, 1024}) {
    std::vector<float> a(n * n, 1.0f), b(n * n, 0.5f), c(n * n);
    Step openblas = [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(),
                  n, 0.0f, c.data(), n);
    };
    Step onednn = [&] {
      dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    };
    for (double ms : measure({&openblas, &onednn}, 1, seconds / 2))
      p.sgemm_gflops = std::max(p.sgemm_gflops, 2.0 * n * n * n / (ms * 1e6));
  }
  // Memory bandwidth: a copy far larger than the caches, split across the threads.
  const size_t bytes = size_t(256) << 20;
  std::vector<char> src(bytes, 1), dst(bytes);
  Step copy = [&] {
#pragma omp parallel
    {
      int t = omp_get_thread_num(), nt = omp_get_num_threads();
      size_t chunk = (bytes + nt - 1) / nt, begin = std::min(bytes, t * chunk);
      size_t end = std::min(bytes, begin + chunk);
      std::memcpy(dst.data() + begin, src.data() + begin, end - begin);
    }
  };
  p.memcpy_gbps = 2.0 * bytes / (measure({&copy}, 1, seconds)[0] * 1e6);  // read + write
#else
  (void)seconds;
#endif
  return p;
}

// ---- the lathe side of each case ----

Case add8() {
  Tensor a = ones({8}).requires_grad_(), b = ones({8}).requires_grad_();
  return {"add8_fwd", "add of two 8-element tensors that require grad, forward only",
          [a, b] { Tensor c = a + b; }, {}, 1000, 0, 0};
}

Case mlp_train_step() {
  auto net = std::make_shared<nn::Sequential>();
  struct Relu : nn::Layer {
    Tensor forward(const Tensor& x) override { return relu(x); }
  };
  net->append(std::make_shared<nn::Linear>(784, 256)).append(std::make_shared<Relu>());
  net->append(std::make_shared<nn::Linear>(256, 256)).append(std::make_shared<Relu>());
  net->append(std::make_shared<nn::Linear>(256, 10));
  Tensor x = randn({64, 784});
  Tensor y = cast(rand({64}) * 10.0, DType::i64);
  Step step = [net, x, y] {
    net->zero_grad();
    mean(softmax_cross_entropy(net->forward(x), y)).backward();
    NoGradGuard no_grad;
    for (Tensor& p : net->parameters()) p.sub_(p.grad() * 0.01);
  };
  // The GEMMs: forward and weight gradients of the three layers, input gradients of the last
  // two (x needs none).
  double flops = 2.0 * 64 * (2 * (784 * 256 + 256 * 256 + 256 * 10) + 256 * 256 + 256 * 10);
  return {"mlp_train_step", "MLP 784-256-256-10, batch 64: forward, cross-entropy, backward, SGD",
          step, {}, 1, flops, 0};
}

Case matmul_case(const std::string& name, int64_t m, int64_t k, int64_t n) {
  Tensor a = randn({m, k}), b = randn({k, n});
  Case c{name, std::to_string(m) + "x" + std::to_string(k) + " @ " + std::to_string(k) + "x" +
                   std::to_string(n) + " f32",
         [a, b] { Tensor r = matmul(a, b); }, {}, 1, 2.0 * m * k * n, 0};
  if (g_gpu) {
#ifdef LATHE_WITH_CUDA_PEERS
    c.peers.push_back({"cublas", cuda_peers().sgemm_step(m, k, n)});
#endif
    c.inner = m * k * n < (int64_t(1) << 30) ? 20 : 1;  // many small products per sample
    return c;
  }
#ifdef LATHE_WITH_CPU_BACKEND
  // The same product straight through OpenBLAS into a preallocated buffer.
  auto out = std::make_shared<std::vector<float>>(m * n);
  Tensor ac = a.contiguous(), bc = b.contiguous();
  c.peers.push_back({"openblas", [ac, bc, out, m, k, n] {
                       cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                                   ac.data<float>(), k, bc.data<float>(), n, 0.0f, out->data(), n);
                     }});
#endif
  return c;
}

Case softmax_xent() {
  Tensor x = randn({4096, 1000}).requires_grad_();
  Tensor y = cast(rand({4096}) * 1000.0, DType::i64);
  Step step = [x, y]() mutable {
    x.zero_grad();
    mean(softmax_cross_entropy(x, y)).backward();
  };
  return {"softmax_xent_fwd_bwd", "cross-entropy of [4096, 1000] logits, forward + backward",
          step, {}, 1, 0, 3.0 * 4096 * 1000 * 4};
}

// layer_norm / rms_norm [rows, d] forward + backward; bytes: read x, write y (forward), read
// x and dy, write dx (backward); the per-feature parameters and gradients are negligible.
Case norm_case(bool rms, int64_t rows = 4096, int64_t d = 1024) {
  Tensor x = randn({rows, d}).requires_grad_();
  Tensor w = ones({d}).requires_grad_(), b = zeros({d}).requires_grad_();
  Tensor g = randn({rows, d});
  Step step = [x, w, b, g, rms]() mutable {
    x.zero_grad();
    w.zero_grad();
    b.zero_grad();
    Tensor y = rms ? rms_norm(x, w, 1e-6) : layer_norm(x, w, b);
    y.backward(g);
  };
  const std::string shape = std::to_string(rows) + ", " + std::to_string(d);
  const std::string suffix = rows == 4096 && d == 1024 ? "" : "_" + std::to_string(rows) + "x" +
                                                                  std::to_string(d);
  return {std::string(rms ? "rms_norm_fwd_bwd" : "layer_norm_fwd_bwd") + suffix,
          std::string(rms ? "rms_norm" : "layer_norm") + " [" + shape + "] f32, forward + backward",
          step, {}, 1, 0, 5.0 * rows * d * 4};
}

// power_norm [4096, 1024] f32 after warmup (the running statistic in the forward, the
// approximate backward with its ema_gz update), forward + backward.
Case power_norm_case() {
  Tensor x = randn({4096, 1024}).requires_grad_();
  Tensor w = ones({1024}).requires_grad_(), b = zeros({1024}).requires_grad_();
  Tensor phi = ones({1024}), ema = zeros({1024}), g = randn({4096, 1024});
  PowerNormOptions o;
  o.warmup_iters = 10;
  o.step = 100;
  Step step = [x, w, b, phi, ema, g, o]() mutable {
    x.zero_grad();
    w.zero_grad();
    b.zero_grad();
    power_norm(x, w, b, phi, ema, Tensor(), o).y.backward(g);
  };
  return {"power_norm_fwd_bwd", "power_norm [4096, 1024] f32 after warmup, forward + backward",
          step, {}, 1, 0, 5.0 * 4096 * 1024 * 4};
}

// KANLinear in = out = 256, grid 5, order 3, batch 1024, forward + backward (weights' gradients).
Case kan_linear_case() {
  auto layer = std::make_shared<nn::KANLinear>(256, 256);
  Tensor x = uniform({1024, 256}, -1.0, 1.0), g = randn({1024, 256});
  Step step = [layer, x, g] {
    layer->zero_grad();
    layer->forward(x).backward(g);
  };
  Case c{"kan_linear_fwd_bwd", "KANLinear 256 -> 256, grid 5, order 3, batch 1024, fwd + bwd",
         step, {}, 1, 0, 0};
  c.flops = 2 * (2.0 * 1024 * 256 * 256 * (8 + 1));  // the GEMMs: forward + weight gradients
  c.memory = true;
  return c;
}

// GRKANLayer 256 -> 256 (8 groups, rational orders (5, 4), gelu init), 4096 tokens, forward +
// backward (parameters' gradients).
Case gr_kan_layer_case() {
  auto layer = std::make_shared<nn::GRKANLayer>(256, 256);
  Tensor x = randn({4096, 256}), g = randn({4096, 256});
  Step step = [layer, x, g] {
    layer->zero_grad();
    layer->forward(x).backward(g);
  };
  Case c{"gr_kan_layer_fwd_bwd", "GRKANLayer 256 -> 256, 8 groups, 4096 tokens, fwd + bwd", step,
         {}, 1, 0, 0};
  c.flops = 3 * (2.0 * 4096 * 256 * 256);  // the GEMMs: forward, input and weight gradients
  c.memory = true;
  return c;
}

// conv2d of a ResNet 3x3 layer: x [32, 64, 56, 56] -> 64 channels, padding 1, f32, forward +
// backward (input and weight gradients); flops: three convolutions' 2 N O C K L each.
Case conv2d_case() {
  Tensor x = randn({32, 64, 56, 56}).requires_grad_();
  Tensor w = (0.05 * randn({64, 64, 3, 3})).requires_grad_();
  Tensor g = randn({32, 64, 56, 56});
  ConvOptions o;
  o.padding = {1};
  Step step = [x, w, g, o]() mutable {
    x.zero_grad();
    w.zero_grad();
    conv2d(x, w, Tensor(), o).backward(g);
  };
  Case c{"conv2d_fwd_bwd", "conv2d [32, 64, 56, 56] -> 64, 3x3, padding 1, f32, fwd + bwd", step,
         {}, 1, 0, 0};
  c.flops = 3 * (2.0 * 32 * 64 * 64 * 9 * 56 * 56);
  return c;
}

// max_pool2d / avg_pool2d 3x3, stride 2, padding 1 on [32, 64, 112, 112] f32, forward +
// backward; bytes: read x, write y, read dy, write dx.
Case pool_case(bool max) {
  Tensor x = randn({32, 64, 112, 112}).requires_grad_();
  Tensor g = randn({32, 64, 56, 56});
  Step step = [x, g, max]() mutable {
    x.zero_grad();
    if (max) {
      MaxPoolOptions o;
      o.kernel_size = {3};
      o.stride = {2};
      o.padding = {1};
      max_pool2d(x, o).y.backward(g);
    } else {
      AvgPoolOptions o;
      o.kernel_size = {3};
      o.stride = {2};
      o.padding = {1};
      avg_pool2d(x, o).backward(g);
    }
  };
  double elements_in = 32.0 * 64 * 112 * 112, elements_out = 32.0 * 64 * 56 * 56;
  return {max ? "max_pool2d_fwd_bwd" : "avg_pool2d_fwd_bwd",
          std::string(max ? "max" : "avg") +
              "_pool2d 3x3/2 pad 1 [32, 64, 112, 112] f32, fwd + bwd",
          step, {}, 1, 0, 2 * 4 * (elements_in + elements_out)};
}

// ssim_loss (11x11 Gaussian, same-size map, mean) of images [16, 3, 256, 256] f32, forward +
// backward into the prediction; the peer writes GCoNet+'s _ssim (five depthwise 11x11 conv2d).
// ms_ssim_loss (5 scales) of [8, 3, 256, 256] likewise, the peer pytorch-msssim's ms_ssim
// (separable depthwise 1x11 / 11x1 conv2d, avg_pool2d between scales).
Case ssim_case(bool multi) {
  int64_t n = multi ? 8 : 16;
  Tensor x = rand({n, 3, 256, 256}).requires_grad_();
  Tensor y = rand({n, 3, 256, 256});
  Step step = [x, y, multi]() mutable {
    x.zero_grad();
    if (multi)
      ms_ssim_loss(x, y).backward();
    else
      ssim_loss(x, y).backward();
  };
  return {multi ? "ms_ssim_loss_fwd_bwd" : "ssim_loss_fwd_bwd",
          multi ? "ms_ssim_loss [8, 3, 256, 256] f32, 5 scales, fwd + bwd"
                : "ssim_loss [16, 3, 256, 256] f32, 11x11 Gaussian, fwd + bwd",
          step, {}, 1, 0, 0};
}

// sinkhorn_divergence of 1024 against 1024 points in 64-D, eps = blur^2 = 0.05, f32, forward +
// backward (both clouds' gradients) with GeomLoss's epsilon-scaling schedule; the peer is the
// same op on its composite (sinkhorn_divergence_composite: [N, M] temporaries per update),
// lathe too, so its peak memory is counted by the same allocator.
Case sinkhorn_case() {
  Tensor x = randn({1024, 64}).requires_grad_(), y = (randn({1024, 64}) + 0.5).requires_grad_();
  SinkhornDivergenceOptions o;
  o.blur = std::sqrt(0.05);
  auto step = [x, y, o](bool fused) -> Step {
    return [x, y, o, fused]() mutable {
      x.zero_grad();
      y.zero_grad();
      (fused ? sinkhorn_divergence(x, y, o) : sinkhorn_divergence_composite(x, y, o)).backward();
    };
  };
  Case c{"sinkhorn_fwd_bwd", "sinkhorn_divergence 1024 x 1024 points, 64-D, eps 0.05, f32, "
                             "fwd + bwd", step(true), {{"lathe composite", step(false)}}, 1, 0, 0};
  c.memory = true;
  return c;
}

// Peak bytes the default device's allocator holds above its starting level during one step.
double lathe_peak_bytes(const Step& step) {
  Device d = default_device();
  step();
  reset_peak_memory(d);
  size_t base = memory_stats(d).allocated_bytes;
  step();
  return static_cast<double>(memory_stats(d).peak_bytes - base);
}

std::vector<Case> make_cases(const std::string& only) {
  std::vector<Case> cases;
  if (g_gpu) {
    cases = {add8(), mlp_train_step(), matmul_case("matmul_512", 512, 512, 512),
             matmul_case("matmul_4096", 4096, 4096, 4096), softmax_xent(), norm_case(false),
             norm_case(true), norm_case(false, 32768, 4096), norm_case(true, 32768, 4096)};
    cases[1].inner = 10;  // launch-bound: many steps per sample
  } else {
    cases = {add8(), mlp_train_step(), matmul_case("matmul_512", 512, 512, 512),
             matmul_case("matmul_64x784x256", 64, 784, 256), softmax_xent(), norm_case(false),
             norm_case(true), power_norm_case(), kan_linear_case(), gr_kan_layer_case(),
             conv2d_case(), pool_case(true), pool_case(false), ssim_case(false),
             ssim_case(true), sinkhorn_case()};
  }
  std::vector<Case> kept;
  for (Case& c : cases) {
    if (!only.empty() && c.name.find(only) == std::string::npos) continue;
    kept.push_back(std::move(c));
  }
  LATHE_CHECK(!kept.empty(), "[bench] no case matches '", only, "'");
  return kept;
}

std::vector<int> parse_threads(const std::string& text) {
  std::vector<int> out;
  std::string item;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ',') {
      item += text[i];
      continue;
    }
    if (item == "all") {
      out.push_back(static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN))));
    } else {
      LATHE_CHECK(!item.empty() && item.find_first_not_of("0123456789") == std::string::npos &&
                      std::stoi(item) >= 1,
                  "[bench] --threads takes numbers or 'all', got '", text, "'");
      out.push_back(std::stoi(item));
    }
    item.clear();
  }
  return out;
}

void run(const Options& o) {
  if (!o.device.empty()) set_default_device(Device::parse(o.device));
  g_device = default_device();
  g_gpu = !backend(g_device).host_memory();
  // A GPU's cases do not depend on the host thread count: one pass.
  std::vector<int> thread_counts =
      g_gpu ? std::vector<int>{num_threads()} : parse_threads(o.threads);
  nlohmann::json report;
  report["device"] = g_device.str();
  report["backend"] = backend(g_device).fn().describe();
  // The libtorch peers, each in its own process (host cases only).
  std::vector<std::unique_ptr<PeerProcess>> remotes;
  std::vector<std::string> remote_versions;
  std::string peers = "OpenBLAS";
  for (const std::string& program : {o.libtorch_peer, o.torch_peer}) {
    if (g_gpu || program.empty()) continue;
    remotes.push_back(std::make_unique<PeerProcess>(program));
    remote_versions.push_back(remotes.back()->ask("version"));
    peers += "; " + remote_versions.back() + " (" + program + ")";
  }
  report["peer"] = g_gpu ? "cublas; torch CUDA (tools/peer/bench_cuda.py)" : peers;
  report["cases"] = nlohmann::json::array();
  report["peaks"] = nlohmann::json::array();
  for (int threads : thread_counts) {
    set_num_threads(threads);
    for (auto& remote : remotes) remote->ask("threads " + std::to_string(threads));
    Peaks peaks = measure_peaks(o.seconds);
    report["peaks"].push_back({{"threads", threads},
                               {"sgemm_gflops", peaks.sgemm_gflops},
                               {"memcpy_gbps", peaks.memcpy_gbps}});
    if (!o.json)
      std::printf("\nthreads %d   peaks: %s %.1f GFLOP/s, %s %.1f GB/s (read + write)\n"
                  "%-22s %11s %11s %-16s %8s %10s %9s\n",
                  threads, g_gpu ? "cuBLAS sgemm" : "sgemm", peaks.sgemm_gflops,
                  g_gpu ? "device copy" : "memcpy", peaks.memcpy_gbps, "case", "lathe ms", "peer ms",
                  "peer", "ratio", "rate", "of peak");
    std::vector<Case> cases = make_cases(o.only);
#ifdef LATHE_WITH_CUDA_PEERS
    if (g_gpu) {  // torch CUDA, in its own process, on the same cases
      std::vector<std::string> names;
      for (const Case& c : cases) names.push_back(c.name);
      std::string version;
      std::map<std::string, double> torch_ms =
          torch_cuda_peer(o.cuda_peer, names, o.seconds, &version);
      report["peer"] = "cublas; " + version;
      if (!o.json && torch_ms.empty()) std::printf("%s\n", version.c_str());
      for (Case& c : cases)
        if (torch_ms.count(c.name))
          c.peers.insert(c.peers.begin(), {version, Step(), torch_ms[c.name]});
    }
#endif
    for (Case& c : cases) {
      std::vector<PeerProcess*> paired;  // the remotes that have this case
      for (size_t j = 0; j < remotes.size(); ++j) {
        if (remotes[j]->ask("case " + c.name) != "ok") continue;
        c.peers.push_back({remote_versions[j], Step(), 0, static_cast<int>(paired.size())});
        paired.push_back(remotes[j].get());
      }
      std::vector<const Step*> steps = {&c.lathe};
      for (const Peer& p : c.peers)
        if (p.step) steps.push_back(&p.step);
      std::vector<double> timed = measure(steps, c.inner, o.seconds, paired);
      std::vector<double> ms = {timed[0]};  // lathe, then each peer in order
      size_t next = 1;
      for (const Peer& p : c.peers)
        ms.push_back(p.step ? timed[next++] : p.remote >= 0 ? timed[steps.size() + p.remote] : p.ms);
      double gflops = c.flops ? c.flops / (ms[0] * 1e6) : 0;
      double gbps = c.bytes ? c.bytes / (ms[0] * 1e6) : 0;
      double of_peak = gflops && peaks.sgemm_gflops ? gflops / peaks.sgemm_gflops
                       : gbps && peaks.memcpy_gbps   ? gbps / peaks.memcpy_gbps
                                                     : 0;
      // Peak memory of lathe and of each libtorch peer, for the cases marked `memory`.
      double mem = c.memory && !g_gpu ? lathe_peak_bytes(c.lathe) : 0;
      std::vector<double> peer_mem(c.peers.size(), 0.0);
      for (size_t k = 0; mem && k < c.peers.size(); ++k)
        if (c.peers[k].remote >= 0)
          peer_mem[k] = std::stod(paired[c.peers[k].remote]->ask("peak"));
        else if (c.peers[k].step)  // a local peer of a memory case is lathe on another path
          peer_mem[k] = lathe_peak_bytes(c.peers[k].step);
      if (c.peers.empty()) c.peers.push_back({"", Step()});
      peer_mem.resize(c.peers.size(), 0.0);
      for (size_t k = 0; k < c.peers.size(); ++k) {
        double peer_ms = k + 1 < ms.size() ? ms[k + 1] : 0;
        double ratio = peer_ms > 0 ? ms[0] / peer_ms : 0;
        nlohmann::json row = {{"name", c.name}, {"what", c.what},   {"threads", threads},
                              {"lathe_ms", ms[0]}, {"peer", c.peers[k].name}};
        if (peer_ms > 0) {
          row["peer_ms"] = peer_ms;
          row["ratio"] = ratio;
        }
        if (gflops) row["gflops"] = gflops;
        if (gbps) row["gbps"] = gbps;
        if (of_peak) row["peak_fraction"] = of_peak;
        if (mem) row["lathe_peak_mb"] = mem / 1e6;
        if (mem && peer_mem[k]) {
          row["peer_peak_mb"] = peer_mem[k] / 1e6;
          row["memory_ratio"] = mem / peer_mem[k];
        }
        report["cases"].push_back(row);
        if (o.json) continue;
        char rate[32] = "", peak[32] = "", peer[32] = "", r[32] = "";
        if (gflops) std::snprintf(rate, sizeof rate, "%.1f GF/s", gflops);
        if (gbps) std::snprintf(rate, sizeof rate, "%.1f GB/s", gbps);
        if (of_peak) std::snprintf(peak, sizeof peak, "%.0f%%", 100 * of_peak);
        if (peer_ms > 0) {
          std::snprintf(peer, sizeof peer, "%.4f", peer_ms);
          std::snprintf(r, sizeof r, "%.2f", ratio);
        }
        std::printf("%-22s %11.4f %11s %-16s %8s %10s %9s\n", k == 0 ? c.name.c_str() : "", ms[0],
                    peer, c.peers[k].name.c_str(), r, k == 0 ? rate : "", k == 0 ? peak : "");
        if (mem && peer_mem[k])
          std::printf("%-22s %8.1f MB %8.1f MB %-16s %8.2f  (peak memory)\n", "", mem / 1e6,
                      peer_mem[k] / 1e6, c.peers[k].name.c_str(), mem / peer_mem[k]);
        else if (mem && k == 0)
          std::printf("%-22s %8.1f MB  (peak memory)\n", "", mem / 1e6);
      }
    }
  }
  if (o.json) std::cout << report.dump(1) << "\n";
}

}  // namespace

}  // namespace lathe::bench

namespace lathe::cli {

void add_bench(CLI::App& app) {
  auto o = std::make_shared<bench::Options>();
  auto* cmd = app.add_subcommand("bench", "Time lathe against libtorch and OpenBLAS in one run");
  cmd->footer(
      "Example: lathe bench --threads 1,all\n"
      "         lathe bench --only matmul --json > bench.json\n"
      "         lathe bench --device cuda\n"
      "ratio = lathe time / peer time (below 1: lathe is faster). Times are medians.");
  cmd->add_option("--threads", o->threads, "Thread counts to run at: numbers or 'all'");
  cmd->add_option("--only", o->only, "Run only cases whose name contains this text");
  cmd->add_option("--seconds", o->seconds, "Sampling time per case and thread count")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", o->json, "Machine-readable output (a `cases` list)");
  cmd->add_option("--device", o->device,
                  "Run the cases on this device (e.g. cuda): the GPU cases and peers");
  cmd->add_option("--libtorch-peer", o->libtorch_peer,
                  "lathe-libtorch-peer program (Debian's libtorch) timed in a paired process; "
                  "'' for none")
      ->capture_default_str();
  cmd->add_option("--torch-peer", o->torch_peer,
                  "lathe-torch-peer program (PyTorch 2.x's libtorch) timed in a paired process; "
                  "'' for none")
      ->capture_default_str();
#ifdef LATHE_WITH_CUDA_PEERS
  cmd->add_option("--cuda-peer", o->cuda_peer, "The torch CUDA peer script (run with $LATHE_PYTHON "
                  "or python3)");
#endif
  cmd->callback([o] { bench::run(*o); });
}

}  // namespace lathe::cli
