// Convolution and pooling: bad input names the op and the shapes; values and shapes by hand.
#include <catch2/catch.hpp>

#include "lathe.h"
#include "ops/nn/conv.h"

using namespace lathe;

namespace {
using Ints = std::vector<int64_t>;
std::vector<double> values_of(const Tensor& t) {
  return t.to_vector<double>();
}
}  // namespace

TEST_CASE("conv rejects bad input, naming the op and the shapes", "[unit][conv][errors]") {
  Tensor x = zeros({1, 4, 5, 5}), w = zeros({2, 4, 3, 3});
  ConvOptions o;
  CHECK_THROWS_WITH(conv2d(zeros({1, 4, 2, 2}), w),
                    Catch::Contains("[conv2d] kernel [3, 3]") &&
                        Catch::Contains("larger than the padded input [2, 2]"));
  o.padding = {-1};
  CHECK_THROWS_WITH(conv2d(x, w, Tensor(), o), Catch::Contains("[conv2d] padding must be >= 0"));
  o = {};
  o.stride = {0};
  CHECK_THROWS_WITH(conv2d(x, w, Tensor(), o), Catch::Contains("[conv2d] stride must be >= 1"));
  o = {};
  o.stride = {-2, 1};
  CHECK_THROWS_WITH(conv2d(x, w, Tensor(), o), Catch::Contains("[conv2d] stride must be >= 1"));
  o = {};
  o.groups = 3;
  CHECK_THROWS_WITH(conv2d(zeros({1, 6, 5, 5}), zeros({2, 2, 3, 3}), Tensor(), o),
                    Catch::Contains("[conv2d] groups 3 must divide") &&
                        Catch::Contains("output channels 2"));
  CHECK_THROWS_WITH(conv2d(zeros({1, 3, 5, 5}), w),
                    Catch::Contains("[conv2d] weight [2, 4, 3, 3] expects 4 input channels"));
  o = {};
  o.auto_pad = "same";
  o.stride = {2};
  CHECK_THROWS_WITH(conv2d(x, w, Tensor(), o), Catch::Contains("[conv2d] auto_pad 'same'"));
  o.auto_pad = "full";
  CHECK_THROWS_WITH(conv2d(x, w, Tensor(), o), Catch::Contains("[conv2d] auto_pad must be"));
  CHECK_THROWS_WITH(conv2d(zeros({4, 5}), w), Catch::Contains("[conv2d] x must be [N, C"));
  CHECK_THROWS_WITH(conv2d(x, w, zeros({3})), Catch::Contains("[conv2d] bias"));
  CHECK_THROWS_WITH(conv1d(zeros({1, 2, 2}), zeros({1, 2, 3})),
                    Catch::Contains("[conv1d] kernel [3]"));
  CHECK_THROWS_WITH(conv3d(zeros({1, 2, 3, 3, 3}), zeros({1, 2, 2, 2})),
                    Catch::Contains("[conv3d] weight must be"));
}

TEST_CASE("conv_transpose rejects bad input", "[unit][conv][errors]") {
  Tensor x = zeros({1, 4, 3, 3}), w = zeros({4, 2, 3, 3});
  ConvTransposeOptions o;
  o.output_padding = {2};
  o.stride = {2};
  CHECK_THROWS_WITH(conv_transpose2d(x, w, Tensor(), o),
                    Catch::Contains("[conv_transpose2d] output_padding [2, 2] must be smaller"));
  o = {};
  o.padding = {-1};
  CHECK_THROWS_WITH(conv_transpose2d(x, w, Tensor(), o),
                    Catch::Contains("[conv_transpose2d] padding must be >= 0"));
  o = {};
  o.groups = 3;
  CHECK_THROWS_WITH(conv_transpose2d(x, w, Tensor(), o),
                    Catch::Contains("[conv_transpose2d] groups 3 must divide"));
  o = {};
  o.padding = {3};
  CHECK_THROWS_WITH(conv_transpose2d(zeros({1, 4, 1, 1}), w, Tensor(), o),
                    Catch::Contains("[conv_transpose2d] padding [3, 3] leaves no output"));
  CHECK_THROWS_WITH(conv_transpose1d(zeros({1, 3, 4}), zeros({4, 2, 3})),
                    Catch::Contains("[conv_transpose1d] weight [4, 2, 3] expects 4 input"));
}

TEST_CASE("pooling rejects bad input", "[unit][conv][errors]") {
  MaxPoolOptions m;
  m.kernel_size = {3};
  CHECK_THROWS_WITH(max_pool2d(zeros({1, 1, 2, 2}), m),
                    Catch::Contains("[max_pool2d] kernel [3, 3]") &&
                        Catch::Contains("larger than the padded input"));
  m.padding = {2};
  CHECK_THROWS_WITH(max_pool2d(zeros({1, 1, 6, 6}), m),
                    Catch::Contains("[max_pool2d] padding [2] must be at most half"));
  m.padding = {-1};
  CHECK_THROWS_WITH(max_pool1d(zeros({1, 1, 6}), m),
                    Catch::Contains("[max_pool1d] padding must be >= 0"));
  m = {};
  CHECK_THROWS_WITH(max_pool2d(zeros({1, 1, 6, 6}), m),
                    Catch::Contains("[max_pool2d] kernel_size takes 1 or 2 values, got []"));
  AvgPoolOptions a;
  a.kernel_size = {2};
  a.stride = {0};
  CHECK_THROWS_WITH(avg_pool2d(zeros({1, 1, 4, 4}), a),
                    Catch::Contains("[avg_pool2d] stride must be >= 1"));
  a.stride = {};
  a.divisor_override = -1;
  CHECK_THROWS_WITH(avg_pool1d(zeros({1, 1, 4}), a),
                    Catch::Contains("[avg_pool1d] divisor_override must be >= 0"));
}

TEST_CASE("conv2d and pools by hand", "[unit][conv]") {
  // x = 1..16 as [1, 1, 4, 4], a 2x2 kernel of ones, stride 2: the four block sums.
  std::vector<double> xs(16);
  for (int i = 0; i < 16; ++i) xs[i] = i + 1;
  Tensor x = from_vector(xs, {1, 1, 4, 4});
  ConvOptions o;
  o.stride = {2};
  Tensor y = conv2d(x, ones({1, 1, 2, 2}, DType::f64), from_vector(std::vector<double>{0.5}, {1}),
                    o);
  CHECK(y.shape() == Shape{1, 1, 2, 2});
  CHECK(values_of(y) == std::vector<double>{14.5, 22.5, 46.5, 54.5});
  // 'same' keeps the extent for an even kernel; padding (lo, hi) = (0, 1) per dim.
  o = {};
  o.auto_pad = "same";
  Tensor same = conv2d(x, ones({1, 1, 2, 2}, DType::f64), Tensor(), o);
  CHECK(same.shape() == Shape{1, 1, 4, 4});
  CHECK(values_of(same)[15] == 16.0);  // the corner window holds x[3, 3] and padding only
  CHECK(values_of(same)[0] == 1 + 2 + 5 + 6);
  // ResNet's 3x3 layer keeps [N, 64, 56, 56] with padding 1; the transpose inverts a stride-2
  // shape with output_padding 1.
  o = {};
  o.padding = {1};
  CHECK(conv2d(zeros({1, 8, 14, 14}), zeros({16, 8, 3, 3}), Tensor(), o).shape() ==
        Shape{1, 16, 14, 14});
  ConvTransposeOptions t;
  t.stride = {2};
  t.padding = {1};
  t.output_padding = {1};
  CHECK(conv_transpose2d(zeros({1, 16, 7, 7}), zeros({16, 8, 3, 3}), Tensor(), t).shape() ==
        Shape{1, 8, 14, 14});
  // max_pool2d 2x2: the maxima and their flat positions in the 4x4 input.
  MaxPoolOptions m;
  m.kernel_size = {2};
  MaxPoolResult r = max_pool2d(x, m);
  CHECK(values_of(r.y) == std::vector<double>{6, 8, 14, 16});
  CHECK(values_of(r.indices) == std::vector<double>{5, 7, 13, 15});
  // A tie takes the whole gradient at its first position, as in PyTorch.
  Tensor tied = from_vector(std::vector<double>{1, 3, 3, 0}, {1, 1, 2, 2}).requires_grad_();
  MaxPoolResult tr = max_pool2d(tied, m);
  CHECK(values_of(tr.indices) == std::vector<double>{1});
  sum(tr.y).backward();
  CHECK(values_of(tied.grad()) == std::vector<double>{0, 1, 0, 0});
  // avg_pool2d 3x3 stride 2 padding 1 over 4x4: the corner averages 4 cells over a divisor of 9,
  // or of 4 without count_include_pad.
  AvgPoolOptions a;
  a.kernel_size = {3};
  a.stride = {2};
  a.padding = {1};
  CHECK(values_of(avg_pool2d(x, a))[0] == Approx((1 + 2 + 5 + 6) / 9.0));
  a.count_include_pad = false;
  CHECK(values_of(avg_pool2d(x, a))[0] == Approx((1 + 2 + 5 + 6) / 4.0));
}
