// The cpu backend's oneDNN convolution kernels (backends/cpu/fused_conv.cpp) against the
// composite on the reference backend (ops/nn/conv_grad.cpp): forward, both gradients and the
// double backward, over strides, asymmetric padding, dilation, groups, 1-3 spatial dims and a
// strided input view; f64 must decline the fused kernel and run the composite, except for the
// depthwise convolutions (groups = C = O), which run the cpu backend's own loops in f32 and
// f64. conv_transpose runs as conv_backward_data: the same comparison for it.
#include <catch2/catch.hpp>

#include "lathe.h"
#include "ops/nn/conv_grad.h"
#include "tests/support/runners.h"

#ifdef LATHE_WITH_CPU_BACKEND_TESTS

using namespace lathe;
using lathe::compare;

namespace {
Device cpu() { return Device::parse("cpu"); }
Device ref() { return Device::reference(); }
using Ints = std::vector<int64_t>;

Tensor uniform_on(const Shape& shape, DType dtype, uint64_t seed) {
  Generator gen(seed);
  return uniform(shape, -1.0, 1.0, dtype, ref(), &gen);
}

// f32 sums of up to a few hundred products: a few ulps of the largest partial sum.
void check_close(const Tensor& got, const Tensor& expected) {
  REQUIRE(got.defined());
  CHECK(got.device() == cpu());
  CHECK(got.shape() == expected.shape());
  CHECK(compare(got.to(ref()), expected, 1e-4, 1e-4) == "");
}

struct Geometry {
  const char* what;
  Shape x, w;
  ConvOptions o;
};

Tensor conv(const Tensor& x, const Tensor& w, const ConvOptions& o) {
  int d = w.dim() - 2;
  return d == 1 ? conv1d(x, w, Tensor(), o) : d == 2 ? conv2d(x, w, Tensor(), o)
                                                      : conv3d(x, w, Tensor(), o);
}

std::vector<Geometry> geometries() {
  std::vector<Geometry> g;
  g.push_back({"2-d, padding 1", {2, 3, 7, 6}, {4, 3, 3, 3}, {}});
  g.back().o.padding = {1};
  g.push_back({"2-d, stride 2, asymmetric padding", {2, 3, 9, 8}, {5, 3, 3, 2}, {}});
  g.back().o.stride = {2, 3};
  g.back().o.padding = {0, 2, 1, 0};  // (left, right, top, bottom)
  g.push_back({"2-d, dilation 2, same", {1, 4, 8, 8}, {2, 4, 3, 3}, {}});
  g.back().o.dilation = {2};
  g.back().o.auto_pad = "same";
  g.push_back({"2-d, groups 2, stride 2", {2, 4, 7, 7}, {6, 2, 3, 3}, {}});
  g.back().o.groups = 2;
  g.back().o.stride = {2};
  g.back().o.padding = {1};
  g.push_back({"2-d, depthwise", {1, 3, 5, 6}, {3, 1, 3, 3}, {}});
  g.back().o.groups = 3;
  // Depthwise (groups = C = O) runs the direct loops of fused_depthwise.cpp.
  g.push_back({"2-d, depthwise 1x11, padding (0, 5)", {2, 3, 6, 13}, {3, 1, 1, 11}, {}});
  g.back().o.groups = 3;
  g.back().o.padding = {0, 5};
  g.push_back({"2-d, depthwise, stride 2, dilation 2", {1, 4, 9, 10}, {4, 1, 3, 2}, {}});
  g.back().o.groups = 4;
  g.back().o.stride = {2};
  g.back().o.dilation = {2};
  g.back().o.padding = {1, 0, 2, 1};
  g.push_back({"1-d, depthwise, stride 3", {2, 2, 12}, {2, 1, 4}, {}});
  g.back().o.groups = 2;
  g.back().o.stride = {3};
  g.back().o.padding = {1};
  g.push_back({"3-d, depthwise, padding 1", {1, 2, 4, 5, 4}, {2, 1, 2, 3, 3}, {}});
  g.back().o.groups = 2;
  g.back().o.padding = {1};
  g.push_back({"1-d, stride 3, padding 2", {3, 2, 11}, {4, 2, 4}, {}});
  g.back().o.stride = {3};
  g.back().o.padding = {2};
  g.push_back({"3-d, padding 1", {1, 2, 4, 5, 4}, {3, 2, 2, 3, 3}, {}});
  g.back().o.padding = {1};
  g.push_back({"unbatched 2-d", {3, 5, 5}, {2, 3, 2, 2}, {}});
  return g;
}
}  // namespace

TEST_CASE("cpu oneDNN conv matches the composite: forward and both gradients",
          "[unit][cpu][conv]") {
  uint64_t seed = 40;
  for (const Geometry& geo : geometries()) {
    INFO(geo.what);
    Tensor xr = uniform_on(geo.x, DType::f32, ++seed).requires_grad_();
    Tensor wr = uniform_on(geo.w, DType::f32, ++seed).requires_grad_();
    Tensor x = xr.detach().to(cpu()).requires_grad_(), w = wr.detach().to(cpu()).requires_grad_();
    Tensor y = conv(x, w, geo.o), yr = conv(xr, wr, geo.o);
    check_close(y, yr);
    Tensor seed_r = uniform_on(yr.shape(), DType::f32, ++seed);
    auto g = grad({y}, {x, w}, {seed_r.to(cpu())});
    auto gr = grad({yr}, {xr, wr}, {seed_r});
    check_close(g[0], gr[0]);
    check_close(g[1], gr[1]);
  }
}

TEST_CASE("cpu oneDNN conv records conv_forward for f32 and declines f64", "[unit][cpu][conv]") {
  ConvGeometry geo{{1, 1}, {1, 1}, {{1, 1}, {1, 1}}, 1};
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor x = uniform_on({1, 2, 4, 4}, dtype, 3).to(cpu()).requires_grad_();
    Tensor w = uniform_on({3, 2, 3, 3}, dtype, 4).to(cpu()).requires_grad_();
    Tensor y = conv_forward(x, w, geo);
    REQUIRE(y.grad_fn());
    CHECK((std::string(y.grad_fn()->name()) == "conv_forward") == (dtype == DType::f32));
  }
  // Depthwise runs fused in both dtypes (the direct loops).
  ConvGeometry depthwise{{1, 1}, {1, 1}, {{0, 0}, {2, 2}}, 3};
  for (DType dtype : {DType::f32, DType::f64}) {
    Tensor x = uniform_on({2, 3, 4, 6}, dtype, 13).to(cpu()).requires_grad_();
    Tensor w = uniform_on({3, 1, 1, 5}, dtype, 14).to(cpu());
    Tensor y = conv_forward(x, w, depthwise);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "conv_forward");
    check_close(y, conv_forward(x.detach().to(ref()), w.to(ref()), depthwise));
  }
  // A strided view of the input goes to oneDNN as is (described by its strides).
  Tensor xr = uniform_on({1, 2, 6, 5}, DType::f32, 5);
  Tensor wr = uniform_on({3, 2, 3, 3}, DType::f32, 6);
  Tensor xt = transpose(xr.to(cpu()), 2, 3);  // [1, 2, 5, 6], not contiguous
  check_close(conv_forward(xt, wr.to(cpu()), geo), conv_forward(transpose(xr, 2, 3), wr, geo));
}

TEST_CASE("cpu oneDNN conv hand values", "[unit][cpu][conv]") {
  // x = 1..9 as a 3x3 image, a 2x2 kernel of ones: each output sums one 2x2 block.
  std::vector<float> xs{1, 2, 3, 4, 5, 6, 7, 8, 9};
  Tensor x = from_vector(xs, {1, 1, 3, 3}).to(cpu()).requires_grad_();
  Tensor w = ones({1, 1, 2, 2}, DType::f32, cpu()).requires_grad_();
  Tensor y = conv2d(x, w);
  CHECK(y.to(ref()).to_vector<double>() == std::vector<double>{12, 16, 24, 28});
  auto g = grad({y}, {x, w}, {ones({1, 1, 2, 2}, DType::f32, cpu())});
  // Each input counts the windows covering it; each tap sums the inputs it sees.
  CHECK(g[0].to(ref()).to_vector<double>() == std::vector<double>{1, 2, 1, 2, 4, 2, 1, 2, 1});
  CHECK(g[1].to(ref()).to_vector<double>() == std::vector<double>{12, 16, 24, 28});
}

TEST_CASE("cpu oneDNN conv double backward matches the composite", "[unit][cpu][conv]") {
  for (const Geometry& geo : geometries()) {
    INFO(geo.what);
    Tensor xr = uniform_on(geo.x, DType::f32, 7).requires_grad_();
    Tensor wr = uniform_on(geo.w, DType::f32, 8).requires_grad_();
    Tensor x = xr.detach().to(cpu()).requires_grad_(), w = wr.detach().to(cpu()).requires_grad_();
    Tensor yr = conv(xr, wr, geo.o);
    Tensor sr = uniform_on(yr.shape(), DType::f32, 9).requires_grad_();
    Tensor s = sr.detach().to(cpu()).requires_grad_();
    GradOptions keep{true, true, false};
    auto g = grad({conv(x, w, geo.o)}, {x, w}, {s}, keep);
    auto gr = grad({yr}, {xr, wr}, {sr}, keep);
    // d/d(x, w, s) of sum(gx^2) + sum(gw^2): reaches conv_backward_data / _weights' backward.
    auto h = grad({sum(g[0] * g[0]) + sum(g[1] * g[1])}, {x, w, s});
    auto hr = grad({sum(gr[0] * gr[0]) + sum(gr[1] * gr[1])}, {xr, wr, sr},
                   {}, GradOptions{false, false, true});
    // gx is linear in s and w, gw in s and x: d/dx of sum(gx^2) is zero (undefined on the
    // reference side when unused).
    for (size_t i = 0; i < 3; ++i) {
      if (!hr[i].defined()) {
        CHECK(compare(h[i].to(ref()), zeros(h[i].shape(), DType::f32, ref()), 1e-4, 1e-4) == "");
        continue;
      }
      check_close(h[i], hr[i]);
    }
  }
}
TEST_CASE("cpu oneDNN conv_transpose matches the composite", "[unit][cpu][conv]") {
  struct Case {
    const char* what;
    Shape x, w;
    ConvTransposeOptions o;
  };
  std::vector<Case> cases;
  cases.push_back({"2-d, stride 2, padding 1, output_padding 1", {2, 4, 5, 4}, {4, 3, 3, 3}, {}});
  cases.back().o.stride = {2};
  cases.back().o.padding = {1};
  cases.back().o.output_padding = {1};
  cases.push_back({"2-d, groups 2, dilation 2", {1, 4, 4, 5}, {4, 2, 2, 3}, {}});
  cases.back().o.groups = 2;
  cases.back().o.dilation = {2};
  cases.push_back({"1-d, stride 3", {2, 3, 6}, {3, 2, 4}, {}});
  cases.back().o.stride = {3};
  // output_padding 2 >= stride 1, allowed by dilation 3: the composite's path.
  cases.push_back({"2-d, output_padding from the dilation", {1, 2, 4, 4}, {2, 2, 2, 2}, {}});
  cases.back().o.dilation = {3};
  cases.back().o.output_padding = {2};
  uint64_t seed = 90;
  for (const Case& c : cases) {
    INFO(c.what);
    auto run = [&c](const Tensor& x, const Tensor& w) {
      return c.x.size() == 3 ? conv_transpose1d(x, w, Tensor(), c.o)
                             : conv_transpose2d(x, w, Tensor(), c.o);
    };
    Tensor xr = uniform_on(c.x, DType::f32, ++seed).requires_grad_();
    Tensor wr = uniform_on(c.w, DType::f32, ++seed).requires_grad_();
    Tensor x = xr.detach().to(cpu()).requires_grad_(), w = wr.detach().to(cpu()).requires_grad_();
    Tensor y = run(x, w), yr = run(xr, wr);
    check_close(y, yr);
    Tensor s = uniform_on(yr.shape(), DType::f32, ++seed);
    auto g = grad({y}, {x, w}, {s.to(cpu())});
    auto gr = grad({yr}, {xr, wr}, {s});
    check_close(g[0], gr[0]);
    check_close(g[1], gr[1]);
  }
}
#endif
