// The cpu backend on inputs large enough to take its fast paths (oneDNN eltwise, OpenMP
// splitting, BLAS with transposed operands, column reductions), against the reference backend;
// and results that do not depend on the thread count. The generic conformance runner covers
// every op on small inputs.
#include <catch2/catch.hpp>

#include "lathe.h"
#include "tests/support/runners.h"

#ifdef LATHE_WITH_CPU_BACKEND_TESTS

using namespace lathe;
using lathe::compare;

namespace {
Device cpu() { return Device::parse("cpu"); }
Device ref() { return Device::reference(); }

// The same values on both devices.
std::pair<Tensor, Tensor> both(const Shape& shape, DType dtype, double lo, double hi, uint64_t seed) {
  Generator gen(seed);
  Tensor r = uniform(shape, lo, hi, dtype, ref(), &gen);
  return {r.to(cpu()), r};
}

void check_same(const Tensor& got, const Tensor& expected, DType dtype) {
  bool f64 = dtype == DType::f64;
  CHECK(got.device() == cpu());
  CHECK(compare(got.to(ref()), expected, f64 ? 1e-12 : 1e-5, f64 ? 1e-12 : 1e-5) == "");
}
}  // namespace

TEST_CASE("cpu errors from kernels it passes on to the reference are its own, not stale",
          "[unit][cpu]") {
  Tensor logits = zeros({2, 3}, DType::f32, cpu());
  Tensor labels = from_vector(std::vector<int64_t>{0, 3}, {2}).to(cpu());
  CHECK_THROWS_WITH(softmax_cross_entropy(logits, labels), Catch::Contains("label 3"));
  // gather runs on the reference kernels: its message, not the fused kernel's, must come back.
  Tensor idx = from_vector(std::vector<int64_t>{0, 5}, {1, 2}).to(cpu());
  CHECK_THROWS_WITH(gather(logits, idx, 1),
                    Catch::Contains("[gather]") && !Catch::Contains("label 3"));
}

TEST_CASE("cpu unary kernels on large arrays match the reference", "[unit][cpu]") {
  using F = Tensor (*)(const Tensor&);
  const std::pair<const char*, F> ops[] = {{"exp", exp}, {"tanh", tanh}, {"sigmoid", sigmoid},
                                           {"erf", erf}, {"neg", neg}, {"relu", relu},
                                           {"abs", abs}, {"sin", sin}};
  for (DType dtype : {DType::f32, DType::f64}) {
    auto [x, xr] = both({300, 257}, dtype, -8.0, 8.0, 1);  // above the oneDNN and thread grains
    for (auto [name, fn] : ops) {
      INFO(name << " " << dtype);
      check_same(fn(x), fn(xr), dtype);
    }
    auto [p, pr] = both({77001}, dtype, 0.1, 30.0, 2);
    check_same(log(p), log(pr), dtype);
    check_same(sqrt(p), sqrt(pr), dtype);
    check_same(rsqrt(p), rsqrt(pr), dtype);
    check_same(softplus(x), softplus(xr), dtype);
    check_same(softplus(x, 2.0, 3.0), softplus(xr, 2.0, 3.0), dtype);
    // strided input (every other column): the loop path
    check_same(exp(x.slice(1, 0, kEnd, 2)), exp(xr.slice(1, 0, kEnd, 2)), dtype);
  }
}

TEST_CASE("cpu binary kernels broadcast like the reference", "[unit][cpu]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    auto [a, ar] = both({512, 300}, dtype, -3.0, 3.0, 3);
    auto [row, rowr] = both({300}, dtype, 0.5, 2.0, 4);
    auto [col, colr] = both({512, 1}, dtype, 0.5, 2.0, 5);
    check_same(a + row, ar + rowr, dtype);
    check_same(a - col, ar - colr, dtype);
    check_same(a * a.t().t(), ar * ar, dtype);
    check_same(a / row, ar / rowr, dtype);
    check_same(pow(abs(a), row), pow(abs(ar), rowr), dtype);
    check_same(maximum(a, col), maximum(ar, colr), dtype);
    check_same(a.t() * 2.0, ar.t() * 2.0, dtype);
    check_same(where(gt(a, 0.0), a, row), where(gt(ar, 0.0), ar, rowr), dtype);
    CHECK(compare(gt(a, col).to(ref()), gt(ar, colr), 0, 0) == "");
  }
}

TEST_CASE("cpu reductions over rows, columns and other layouts", "[unit][cpu]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    auto [x, xr] = both({64, 33, 40}, dtype, -2.0, 2.0, 6);
    for (Axes axes : {Axes{2}, Axes{1, 2}, Axes{0}, Axes{0, 1}, Axes{1}, Axes{}}) {
      INFO("axes of size " << axes.size());
      check_same(sum(x, axes), sum(xr, axes), dtype);
      check_same(max(x, axes, true), max(xr, axes, true), dtype);
      check_same(min(x, axes), min(xr, axes), dtype);
    }
    CHECK(compare(argmax(x, -1).to(ref()), argmax(xr, -1), 0, 0) == "");
    CHECK(compare(argmin(x, 0).to(ref()), argmin(xr, 0), 0, 0) == "");
    check_same(sum(x.permute({2, 0, 1}), {0}), sum(xr.permute({2, 0, 1}), {0}), dtype);
  }
}

TEST_CASE("cpu matmul: transposed and strided operands, batches, empty dims", "[unit][cpu]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    auto [a, ar] = both({3, 70, 50}, dtype, -1.0, 1.0, 7);
    auto [b, br] = both({50, 40}, dtype, -1.0, 1.0, 8);
    check_same(matmul(a, b), matmul(ar, br), dtype);
    check_same(matmul(b.t(), a.transpose(-1, -2)), matmul(br.t(), ar.transpose(-1, -2)), dtype);
    check_same(matmul(a.slice(2, 0, kEnd, 2), b.slice(0, 0, kEnd, 2)),
               matmul(ar.slice(2, 0, kEnd, 2), br.slice(0, 0, kEnd, 2)), dtype);
    check_same(matmul(zeros({4, 0}, dtype, cpu()), zeros({0, 3}, dtype, cpu())),
               zeros({4, 3}, dtype, ref()), dtype);
  }
}

TEST_CASE("cpu results do not depend on the thread count", "[unit][cpu]") {
  auto [x, xr] = both({1024, 333}, DType::f32, -3.0, 3.0, 9);
  auto [w, wr] = both({333, 64}, DType::f32, -1.0, 1.0, 10);
  auto run = [&] {
    Tensor h = tanh(matmul(x, w)) + sum(exp(x), {1}, true);
    return std::vector<Tensor>{h, sum(h, {0}), max(h, {1})};
  };
  int before = num_threads();
  set_num_threads(1);
  std::vector<Tensor> one = run();
  set_num_threads(2);
  std::vector<Tensor> two = run();
  set_num_threads(before);
  for (size_t i = 0; i < one.size(); ++i)
    CHECK(compare(two[i].to(ref()), one[i].to(ref()), 1e-4, 1e-5) == "");
}

#endif  // LATHE_WITH_CPU_BACKEND_TESTS

#ifdef LATHE_WITH_CPU_BACKEND_TESTS
TEST_CASE("cpu fused kernels on large inputs match the reference composites", "[unit][cpu]") {
  for (DType dtype : {DType::f32, DType::f64}) {
    auto [x, xr] = both({300, 257}, dtype, -4.0, 4.0, 11);
    auto [w, wr] = both({257}, dtype, 0.5, 2.0, 12);
    auto [b, br] = both({257}, dtype, -1.0, 1.0, 13);
    auto [g, gr] = both({300, 257}, dtype, -1.0, 1.0, 14);
    auto grads = [](const Tensor& y, const Tensor& seed, std::vector<Tensor> wrt) {
      return grad({y}, wrt, {seed}, {false, false, true});
    };
    INFO(dtype);
    Tensor xl = x.detach().requires_grad_(), xrl = xr.detach().requires_grad_();
    Tensor wl = w.detach().requires_grad_(), wrl = wr.detach().requires_grad_();
    Tensor bl = b.detach().requires_grad_(), brl = br.detach().requires_grad_();
    // layer_norm and rms_norm: forward and every gradient
    Tensor y = layer_norm(xl, wl, bl), yr = layer_norm(xrl, wrl, brl);
    check_same(y, yr, dtype);
    auto ga = grads(y, g, {xl, wl, bl}), gb = grads(yr, gr, {xrl, wrl, brl});
    for (size_t i = 0; i < ga.size(); ++i) check_same(ga[i], gb[i], dtype);
    y = rms_norm(xl, wl), yr = rms_norm(xrl, wrl);
    check_same(y, yr, dtype);
    ga = grads(y, g, {xl, wl});
    gb = grads(yr, gr, {xrl, wrl});
    for (size_t i = 0; i < ga.size(); ++i) check_same(ga[i], gb[i], dtype);
    // softmax, log_softmax, cross-entropy
    check_same(grads(softmax(xl), g, {xl})[0], grads(softmax(xrl), gr, {xrl})[0], dtype);
    check_same(grads(log_softmax(xl), g, {xl})[0], grads(log_softmax(xrl), gr, {xrl})[0], dtype);
    Tensor labels = cast(rand({300}, DType::f64, Device::reference()) * 257.0, DType::i64);
    Tensor loss = softmax_cross_entropy(xl, labels.to(cpu()));
    Tensor loss_r = softmax_cross_entropy(xrl, labels);
    check_same(loss, loss_r, dtype);
    auto [s, sr] = both({300}, dtype, -1.0, 1.0, 15);
    check_same(grads(loss, s, {xl})[0], grads(loss_r, sr, {xrl})[0], dtype);
  }
}

TEST_CASE("cpu fused cross-entropy reports a bad label", "[unit][cpu][errors]") {
  Tensor x = zeros({2, 3}, DType::f32, cpu());
  Tensor labels = from_vector(std::vector<int64_t>{0, 3}, {2}, cpu());
  CHECK_THROWS_WITH(softmax_cross_entropy(x, labels),
                    Catch::Contains("softmax_cross_entropy") && Catch::Contains("label 3"));
}
#endif
