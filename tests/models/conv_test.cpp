// Convolution modules and the example CNN: shapes, parameter keys, PyTorch's init bounds.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "models/conv.h"
#include "models/examples/cnn.h"

using namespace lathe;

namespace {
double max_abs(const Tensor& t) { return max(abs(t)).item(); }
}  // namespace

TEST_CASE("Conv1d, Conv2d, ConvTranspose2d: shapes, keys and kaiming_uniform(a=sqrt(5)) bounds",
          "[unit][models][conv]") {
  manual_seed(3);
  ConvOptions o;
  o.padding = {1};
  o.groups = 2;
  nn::Conv2d conv(4, 6, {3}, o);
  CHECK(conv.weight.shape() == Shape{6, 2, 3, 3});
  CHECK(conv.bias.shape() == Shape{6});
  double bound = 1.0 / std::sqrt(2.0 * 9.0);  // fan_in = C_in / groups * kernel area
  CHECK(max_abs(conv.weight) <= bound);
  CHECK(max_abs(conv.weight) > 0.8 * bound);
  CHECK(max_abs(conv.bias) <= bound);
  CHECK(conv.forward(zeros({2, 4, 5, 5})).shape() == Shape{2, 6, 5, 5});
  auto keys = conv.state_dict();
  CHECK(keys.count("weight") == 1);
  CHECK(keys.count("bias") == 1);

  nn::Conv1d c1(3, 5, 4, ConvOptions(), false);
  CHECK(!c1.bias.defined());
  CHECK(c1.forward(zeros({2, 3, 10})).shape() == Shape{2, 5, 7});

  ConvTransposeOptions t;
  t.stride = {2};
  nn::ConvTranspose2d up(4, 3, {2}, t);
  CHECK(up.weight.shape() == Shape{4, 3, 2, 2});
  CHECK(max_abs(up.weight) <= 1.0 / std::sqrt(3.0 * 4.0));  // fan_in = weight.size(1) * area
  CHECK(up.forward(zeros({1, 4, 3, 3})).shape() == Shape{1, 3, 6, 6});

  CHECK_THROWS_WITH(nn::Conv2d(3, 4, {3}, o), Catch::Contains("[Conv2d] channels"));
  CHECK_THROWS_WITH(nn::Conv2d(4, 4, {3, 3, 3}), Catch::Contains("[Conv2d] kernel_size"));
}

TEST_CASE("pool modules and the example CNN", "[unit][models][conv]") {
  MaxPoolOptions m;
  m.kernel_size = {2};
  AvgPoolOptions a;
  a.kernel_size = {3};
  a.stride = {1};
  CHECK(nn::MaxPool2d(m).forward(zeros({1, 2, 6, 6})).shape() == Shape{1, 2, 3, 3});
  CHECK(nn::AvgPool2d(a).forward(zeros({1, 2, 6, 6})).shape() == Shape{1, 2, 4, 4});

  manual_seed(0);
  nn::CNN cnn(4, 8, 16);
  Tensor x = uniform({3, 784}, 0.0, 1.0);
  Tensor logits = cnn.forward(x);
  CHECK(logits.shape() == Shape{3, 10});
  auto keys = cnn.state_dict();
  for (const char* k : {"0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "10.bias"})
    CHECK(keys.count(k) == 1);
  CHECK(keys.size() == 8);
  // One training step moves every parameter.
  mean(softmax_cross_entropy(logits, from_vector(std::vector<int64_t>{1, 2, 3}, {3}))).backward();
  for (const Tensor& p : cnn.parameters()) CHECK(max_abs(p.grad()) > 0);
  CHECK_THROWS_WITH(cnn.forward(zeros({2, 100})), Catch::Contains("[CNN] expected x"));
}
