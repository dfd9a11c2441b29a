// The cpu backend's pooling kernels (backends/cpu/fused_pool.cpp) against the composites on the
// reference backend (ops/nn/pool.cpp): forward (values and indices), the gradient and the
// double backward (which runs the backward kernels' own rules), over strides, padding,
// dilation, ceil_mode, count_include_pad, divisor_override, 1-d, unbatched inputs, a strided
// input view and f64.
#include <catch2/catch.hpp>

#include <limits>

#include "lathe.h"
#include "tests/support/runners.h"

#ifdef LATHE_WITH_CPU_BACKEND_TESTS

using namespace lathe;
using lathe::compare;

namespace {
Device cpu() { return Device::parse("cpu"); }
Device ref() { return Device::reference(); }

Tensor uniform_on(const Shape& shape, DType dtype, uint64_t seed) {
  Generator gen(seed);
  return uniform(shape, -1.0, 1.0, dtype, ref(), &gen);
}

void check_close(const Tensor& got, const Tensor& expected) {
  REQUIRE(got.defined());
  REQUIRE(expected.defined());
  CHECK(got.device() == cpu());
  CHECK(got.shape() == expected.shape());
  CHECK(compare(got.to(ref()), expected, 1e-5, 1e-5) == "");
}

struct PoolCase {
  const char* what;
  int d;  // spatial dims
  Shape x;
  std::vector<int64_t> kernel, stride, padding, dilation;
  bool ceil_mode = false, include_pad = true;
  int64_t divisor = 0;
};

std::vector<PoolCase> pool_cases() {
  return {
      {"2-d 3x3/2 padding 1", 2, {2, 3, 9, 8}, {3}, {2}, {1}, {1}},
      {"2-d 2x3, stride (1, 2), ceil_mode", 2, {1, 2, 7, 9}, {2, 3}, {1, 2}, {0, 1}, {1}, true},
      {"2-d dilation 2, padding 1", 2, {2, 2, 8, 7}, {3}, {1}, {1}, {2}},
      {"2-d ceil_mode, padding excluded", 2, {1, 3, 6, 7}, {3}, {2}, {1}, {1}, true, false},
      {"2-d divisor_override 5", 2, {1, 2, 6, 6}, {2}, {}, {0}, {1}, false, true, 5},
      {"1-d stride 3, padding 1, ceil_mode", 1, {2, 3, 10}, {4}, {3}, {1}, {1}, true},
      {"unbatched 2-d", 2, {3, 6, 5}, {2}, {1}, {1}, {1}},
  };
}

// The op on x: max_pool's y and indices, or avg_pool's y and an undefined second.
std::pair<Tensor, Tensor> pool(bool max, const PoolCase& c, const Tensor& x) {
  int d = c.d;
  if (max) {
    MaxPoolOptions o;
    o.kernel_size = c.kernel;
    o.stride = c.stride;
    o.padding = c.padding;
    o.dilation = c.dilation;
    o.ceil_mode = c.ceil_mode;
    MaxPoolResult r = d == 1 ? max_pool1d(x, o) : max_pool2d(x, o);
    return {r.y, r.indices};
  }
  AvgPoolOptions o;
  o.kernel_size = c.kernel;
  o.stride = c.stride;
  o.padding = c.padding;
  o.ceil_mode = c.ceil_mode;
  o.count_include_pad = c.include_pad;
  o.divisor_override = c.divisor;
  return {d == 1 ? avg_pool1d(x, o) : avg_pool2d(x, o), Tensor()};
}
}  // namespace

TEST_CASE("cpu pool kernels match the composites: forward, indices and gradient",
          "[unit][cpu][pool]") {
  uint64_t seed = 70;
  for (bool max : {true, false})
    for (const PoolCase& c : pool_cases()) {
      if (!max && c.dilation[0] != 1) continue;  // avg_pool has no dilation
      INFO((max ? "max: " : "avg: ") << c.what);
      for (DType dtype : {DType::f32, DType::f64}) {
        Tensor xr = uniform_on(c.x, dtype, ++seed).requires_grad_();
        Tensor x = xr.detach().to(cpu()).requires_grad_();
        auto y = pool(max, c, x), yr = pool(max, c, xr);
        REQUIRE(y.first.grad_fn());
        if (static_cast<int>(c.x.size()) == c.d + 2)  // unbatched: a squeeze follows
          CHECK(std::string(y.first.grad_fn()->name()) == (max ? "max_pool" : "avg_pool"));
        check_close(y.first, yr.first);
        if (max)
          CHECK(y.second.to(ref()).to_vector<int64_t>() == yr.second.to_vector<int64_t>());
        Tensor s = uniform_on(yr.first.shape(), dtype, ++seed);
        check_close(grad({y.first}, {x}, {s.to(cpu())})[0], grad({yr.first}, {xr}, {s})[0]);
      }
    }
}

TEST_CASE("cpu pool kernels: double backward matches the composites", "[unit][cpu][pool]") {
  uint64_t seed = 170;
  for (bool max : {true, false})
    for (const PoolCase& c : pool_cases()) {
      if (!max && c.dilation[0] != 1) continue;
      INFO((max ? "max: " : "avg: ") << c.what);
      Tensor xr = uniform_on(c.x, DType::f64, ++seed).requires_grad_();
      Tensor x = xr.detach().to(cpu()).requires_grad_();
      Tensor yr = pool(max, c, xr).first;
      Tensor sr = uniform_on(yr.shape(), DType::f64, ++seed).requires_grad_();
      Tensor s = sr.detach().to(cpu()).requires_grad_();
      GradOptions keep{true, true, false};
      Tensor gx = grad({pool(max, c, x).first}, {x}, {s}, keep)[0];
      Tensor gxr = grad({yr}, {xr}, {sr}, keep)[0];
      // d/ds of sum(gx^2 * x): reaches the backward kernels' rules (gather / avg_pool).
      Tensor h = grad({sum(gx * gx * x)}, {s})[0];
      Tensor hr = grad({sum(gxr * gxr * xr)}, {sr})[0];
      check_close(h, hr);
    }
}

TEST_CASE("cpu pool kernels hand values and a strided input", "[unit][cpu][pool]") {
  // x = 1..16 as a 4x4 image, 2x2 windows, stride 2.
  std::vector<float> xs(16);
  for (int i = 0; i < 16; ++i) xs[i] = static_cast<float>(i + 1);
  Tensor x = from_vector(xs, {1, 1, 4, 4}).to(cpu()).requires_grad_();
  MaxPoolOptions mo;
  mo.kernel_size = {2};
  MaxPoolResult r = max_pool2d(x, mo);
  CHECK(r.y.to(ref()).to_vector<double>() == std::vector<double>{6, 8, 14, 16});
  CHECK(r.indices.to(ref()).to_vector<int64_t>() == std::vector<int64_t>{5, 7, 13, 15});
  Tensor gx = grad({r.y}, {x}, {ones({1, 1, 2, 2}, DType::f32, cpu())})[0];
  std::vector<double> expect(16, 0.0);
  for (int i : {5, 7, 13, 15}) expect[i] = 1;
  CHECK(gx.to(ref()).to_vector<double>() == expect);
  // 3x3 windows, padding 1 excluded from the divisor: the corner averages 4 cells.
  AvgPoolOptions ao;
  ao.kernel_size = {3};
  ao.stride = {3};
  ao.padding = {1};
  ao.count_include_pad = false;
  Tensor a = avg_pool2d(x, ao);  // windows rows/cols {-1..1}, {2..4}: [1, 1, 2, 2]
  CHECK(a.to(ref()).to_vector<double>() ==
        std::vector<double>{(1 + 2 + 5 + 6) / 4.0, (3 + 4 + 7 + 8) / 4.0,
                            (9 + 10 + 13 + 14) / 4.0, (11 + 12 + 15 + 16) / 4.0});
  // A transposed (strided) view pools like its contiguous copy.
  Tensor xr = uniform_on({2, 3, 7, 6}, DType::f32, 5);
  Tensor xt = transpose(xr.to(cpu()), 2, 3);
  mo.kernel_size = {3};
  mo.stride = {2};
  check_close(max_pool2d(xt, mo).y, max_pool2d(transpose(xr, 2, 3), mo).y);
  // A NaN in a window wins it (and the gradient), as in PyTorch.
  std::vector<float> nan_xs{1, std::numeric_limits<float>::quiet_NaN(), 3, 4};
  mo.kernel_size = {2};
  mo.stride = {2};
  MaxPoolResult nr = max_pool2d(from_vector(nan_xs, {1, 1, 2, 2}).to(cpu()), mo);
  CHECK(std::isnan(nr.y.to(ref()).to_vector<double>()[0]));
  CHECK(nr.indices.to(ref()).to_vector<int64_t>() == std::vector<int64_t>{1});
}

#endif
