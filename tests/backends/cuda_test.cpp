// The cuda backend. On every machine ([unit]): its plugin loads, and without a GPU it reports
// "built, no device" and refuses to be selected with a clear Error. With a GPU ([.cuda], run
// only by the `cuda` CTest test, next to every conformance case): moves between devices,
// mixed-device errors, the counter-based RNG drawing the host backends' numbers, kernels on
// inputs large enough to take their multi-block paths, f16/bf16 storage, and the caching
// allocator (reuse, no growth over 1000 training steps, out of memory as an Error the engine
// survives).
#include <catch2/catch.hpp>

#include <cstdint>

#include "lathe.h"
#include "tests/support/runners.h"

#ifdef LATHE_CUDA_PLUGIN_PATH

using namespace lathe;
using lathe::compare;

namespace {

// The cuda backend: built in, already loaded (LATHE_BACKEND_PATH), or loaded here.
const Backend& cuda_backend() {
  if (const Backend* b = find_backend("cuda")) return *b;
  load_backend(LATHE_CUDA_PLUGIN_PATH);
  return *find_backend("cuda");
}

Device gpu() {
  cuda_backend();
  return Device::cuda(0);
}
Device ref() { return Device::reference(); }

// The same values on the reference backend and on the GPU.
std::pair<Tensor, Tensor> both(const Shape& shape, DType dtype, double lo, double hi,
                               uint64_t seed) {
  Generator gen(seed);
  Tensor r = uniform(shape, lo, hi, dtype, ref(), &gen);
  return {r.to(gpu()), r};
}

void check_close(const Tensor& got, const Tensor& expected, double tol) {
  CHECK(got.device() == gpu());
  CHECK(compare(got.to(ref()), expected, tol, tol) == "");
}

}  // namespace

TEST_CASE("cuda plugin loads, without a GPU it says so and cannot be selected", "[unit]") {
  const Backend& b = cuda_backend();
  CHECK(b.name() == "cuda");
  CHECK_FALSE(b.host_memory());
  CHECK(std::string(b.fn().describe()).find("cuda") != std::string::npos);
  Tensor on_host = ones({2}, DType::f32, ref());
  CHECK(on_host.cpu().device() == ref());  // host memory already: the same tensor
  if (b.device_count() > 0) return;  // the [.cuda] tests below cover a machine with a GPU
  CHECK_THROWS_WITH(zeros({2}, DType::f32, Device::cuda(0)),
                    Catch::Contains("cuda: built, no device"));
  CHECK_THROWS_WITH(set_default_device(Device::cuda(0)), Catch::Contains("built, no device"));
  CHECK_THROWS_WITH(ones({2}, DType::f32, ref()).to(Device::cuda(0)),
                    Catch::Contains("built, no device"));
}

TEST_CASE("cuda: tensors move to the GPU and back unchanged", "[.cuda]") {
  for (DType dtype : {DType::f32, DType::f64, DType::f16, DType::bf16}) {
    INFO(dtype);
    Tensor x = uniform({3, 5}, -4.0, 4.0, dtype, ref());
    Tensor g = x.to(gpu());
    CHECK(g.device() == gpu());
    CHECK(g.dtype() == dtype);
    CHECK(compare(g.to(ref()), x, 0.0, 0.0) == "");
  }
  Tensor host = uniform({4}, 0.0, 1.0, DType::f32, ref()).to(gpu()).cpu();
  CHECK(backend(host.device()).host_memory());
  CHECK(host.cpu().device() == host.device());  // already on the host: itself
  Tensor labels = from_vector(std::vector<int64_t>{3, -1, 1LL << 40}, {3});
  CHECK(labels.to(gpu()).to(ref()).to_vector<int64_t>() == labels.to_vector<int64_t>());
  // A non-contiguous view moves as its values, not its storage.
  Tensor x = arange(12, DType::f64, ref()).reshape({3, 4});
  Tensor t = x.transpose(0, 1).to(gpu());
  CHECK(compare(t.to(ref()), x.transpose(0, 1).contiguous(), 0.0, 0.0) == "");
}

TEST_CASE("cuda: ops on tensors of two devices fail naming the op", "[.cuda]") {
  Tensor a = ones({4}, DType::f32, gpu());
  Tensor b = ones({4}, DType::f32, ref());
  CHECK_THROWS_WITH(add(a, b), Catch::Contains("[add]") && Catch::Contains("one device"));
  CHECK_THROWS_WITH(matmul(ones({2, 2}, DType::f32, gpu()), ones({2, 2}, DType::f32, ref())),
                    Catch::Contains("[matmul]"));
  CHECK_THROWS_WITH(ones({2}, DType::f32, Device::cuda(99)), Catch::Contains("cuda:99"));
  CHECK(add(a, a).to(ref()).to_vector<float>() == std::vector<float>(4, 2.0f));  // still works
}

TEST_CASE("cuda: the RNG draws the reference backend's numbers", "[.cuda]") {
  for (DType dtype : {DType::f32, DType::f64, DType::f16, DType::bf16}) {
    INFO(dtype);
    Generator g1(1234), g2(1234);
    Tensor a = uniform({1001}, -2.0, 3.0, dtype, gpu(), &g1);
    Tensor b = uniform({1001}, -2.0, 3.0, dtype, ref(), &g2);
    CHECK(compare(a.to(ref()), b, 0.0, 0.0) == "");
    a = normal({513, 3}, 0.5, 2.0, dtype, gpu(), &g1);
    b = normal({513, 3}, 0.5, 2.0, dtype, ref(), &g2);
    CHECK(compare(a.to(ref()), b, dtype == DType::f64 ? 1e-14 : 1e-6, 1e-6) == "");
  }
}

TEST_CASE("cuda: kernels on large inputs match the reference", "[.cuda]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    INFO(dtype);
    const double tol = dtype == DType::f64 ? 1e-10 : 2e-4;
    auto [x, xr] = both({1024, 777}, dtype, -3.0, 3.0, 1);
    auto [y, yr] = both({1, 777}, dtype, -3.0, 3.0, 2);
    check_close(tanh(x), tanh(xr), tol);
    check_close(mul(x, y), mul(xr, yr), tol);  // broadcast rows
    check_close(sum(x, {0}), sum(xr, {0}), tol * 100);
    check_close(sum(x, {1}), sum(xr, {1}), tol * 100);
    check_close(sum(x), sum(xr), tol * 1000);
    check_close(max(x, {0}), max(xr, {0}), 0.0);
    check_close(softmax(x, -1), softmax(xr, -1), tol);
    check_close(log_softmax(x.transpose(0, 1), -1), log_softmax(xr.transpose(0, 1), -1), tol);
    auto [w, wr] = both({777, 300}, dtype, -1.0, 1.0, 3);
    check_close(matmul(x, w), matmul(xr, wr), tol * 10);
    check_close(matmul(w.transpose(0, 1), x.transpose(0, 1)),
                matmul(wr.transpose(0, 1), xr.transpose(0, 1)), tol * 10);
    auto [g, gr] = both({777}, dtype, 0.5, 1.5, 4);
    auto [bias, br] = both({777}, dtype, -0.5, 0.5, 5);
    check_close(layer_norm(x, g, bias), layer_norm(xr, gr, br), tol);
    check_close(rms_norm(x, g), rms_norm(xr, gr), tol);
    Tensor labels = from_vector(std::vector<int64_t>(1024, 7), {1024});
    check_close(softmax_cross_entropy(x, labels.to(gpu())), softmax_cross_entropy(xr, labels),
                tol);
  }
}

TEST_CASE("cuda: f16 and bf16 compute in f32 and round once", "[.cuda]") {
  for (DType dtype : {DType::f16, DType::bf16}) {
    INFO(dtype);
    const double eps = dtype == DType::f16 ? 1.0 / 1024 : 1.0 / 128;  // one ulp at 1
    Tensor a = cast(uniform({64, 96}, -1.0, 1.0, DType::f32, ref()), dtype);
    Tensor b = cast(uniform({96, 48}, -1.0, 1.0, DType::f32, ref()), dtype);
    Tensor a32 = cast(a, DType::f32), b32 = cast(b, DType::f32);
    // The rounded inputs' products summed in f32: only the final rounding may differ, by at
    // most half an ulp of outputs that stay below 16 in magnitude.
    auto rounded = [&](const Tensor& t) { return cast(cast(t, dtype), DType::f32); };
    check_close(cast(matmul(a.to(gpu()), b.to(gpu())), DType::f32), rounded(matmul(a32, b32)),
                16 * eps);
    check_close(cast(sum(a.to(gpu()), {1}), DType::f32), rounded(sum(a32, {1})), 64 * eps);
    check_close(cast(exp(a.to(gpu())), DType::f32), rounded(exp(a32)), 4 * eps);
  }
}

TEST_CASE("cuda: gather and scatter_add errors name the op and leave the engine working",
          "[.cuda]") {
  Tensor src = ones({2, 3}, DType::f32, gpu());
  Tensor bad = from_vector(std::vector<int64_t>{0, 3}, {1, 2}).to(gpu());
  CHECK_THROWS_WITH(gather(src, bad, 1), Catch::Contains("[gather]"));
  Tensor labels = from_vector(std::vector<int64_t>{0, 5}, {2}).to(gpu());
  CHECK_THROWS_WITH(softmax_cross_entropy(src, labels), Catch::Contains("label 5"));
  CHECK(sum(src).item() == 6.0);
}

TEST_CASE("cuda: the caching allocator reuses blocks and does not grow over 1000 steps",
          "[.cuda]") {
  Device d = gpu();
  { Tensor a = empty({1000}, DType::f32, d); }
  MemoryStats before = memory_stats(d);
  { Tensor b = empty({1000}, DType::f32, d); }
  MemoryStats after = memory_stats(d);
  CHECK(after.reuses == before.reuses + 1);
  CHECK(after.backend_allocs == before.backend_allocs);

  manual_seed(0);
  Tensor x = randn({256, 32}, DType::f32, d);
  Tensor y = cast(gt(sum(x, {1}), 0.0), DType::i64);
  nn::MLP model(32, {64, 64}, 2, "relu", 0.0, DType::f32, d);
  optim::AdamW opt(model.parameters(), 1e-2);
  auto step = [&] {
    Tensor loss = cross_entropy(model.forward(x), y);
    opt.zero_grad();
    loss.backward();
    opt.step();
    return loss.item();
  };
  double first = 0.0;
  for (int i = 0; i < 10; ++i) first = step();  // warm up: optimizer state, cached blocks
  const MemoryStats warm = memory_stats(d);
  double last = 0.0;
  for (int i = 0; i < 1000; ++i) last = step();
  const MemoryStats end = memory_stats(d);
  CHECK(end.backend_allocs == warm.backend_allocs);
  CHECK(end.allocated_bytes == warm.allocated_bytes);
  CHECK(end.cached_bytes == warm.cached_bytes);
  CHECK(last < first * 0.5);  // it trained
}

TEST_CASE("cuda: out of memory is an Error and the engine keeps working", "[.cuda]") {
  Device d = gpu();
  Tensor keep = ones({1024}, DType::f32, d);
  // 2^50 bytes: more than any GPU has, but a valid size.
  CHECK_THROWS_WITH(empty({int64_t(1) << 48}, DType::f32, d), Catch::Contains("out of memory"));
  Tensor more = add(keep, keep);
  CHECK(sum(more).item() == 2048.0);
  empty_cache(d);
  CHECK(memory_stats(d).cached_bytes == 0);
  CHECK(sum(more).item() == 2048.0);
}

#endif  // LATHE_CUDA_PLUGIN_PATH
