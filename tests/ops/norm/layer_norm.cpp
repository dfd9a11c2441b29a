// Cases and unit tests for ops/norm/layer_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(layer_norm) {
  add(Case("layer_norm", "affine").in("x", {3, 5}).in("weight", {5}, 0.5, 2.0).in("bias", {5})
          .note("[3,5] over the last dim, weight and bias"));
  add(Case("layer_norm", "no_affine").in("x", {2, 3, 4})
          .note("[2,3,4], no weight or bias (elementwise_affine off)"));
  add(Case("layer_norm", "weight_only").in("x", {4, 3}).in("weight", {3}, 0.5, 2.0)
          .note("[4,3], weight only"));
  add(Case("layer_norm", "trailing_two")
          .in("x", {2, 3, 4})
          .in("weight", {3, 4}, 0.5, 2.0)
          .in("bias", {3, 4})
          .attr("normalized_shape", AttrValue(std::vector<int64_t>{3, 4}))
          .note("[2,3,4] over the trailing [3,4], weight and bias [3,4]"));
  add(Case("layer_norm", "constant_rows")
          .values("x", {3, 4}, {1.5, 1.5, 1.5, 1.5, 0.3, -1.1, 0.8, 1.9, -3.0, -3.0, -3.0, -3.0})
          .in("weight", {4}, 0.5, 2.0)
          .normal("bias", {4})
          .oracle_only("the eps path: the unit tests check its gradient is finite")
          .note("rows 0 and 2 constant: var = 0, the eps path gives y = bias"));
  // small weights: the cpu backend's f32 gradient of x is 0 only up to rounding times
  // rstd = 1 / sqrt(eps) ~ 316, which a weight near 2 pushes past the conformance atol 1e-5
  add(Case("layer_norm", "d1").normal("x", {4, 1}).in("weight", {1}, 0.1, 0.3).normal("bias", {1})
          .oracle_only("y = bias: the gradient of x is 0")
          .note("D = 1: every row is constant, y = bias"));
  std::vector<double> offset;  // 1e4 + multiples of 1/16: exact in f32
  for (int i = 0; i < 24; ++i) offset.push_back(1e4 + ((i * 13) % 65 - 32) / 16.0);
  add(Case("layer_norm", "offset").values("x", {3, 8}, offset).attr("eps", 1e-3)
          .oracle_only("the f32 precision of the statistics is the point")
          .note("1e4 + multiples of 1/16 (exact in f32), eps 1e-3: two-pass stats"));
}

TEST_CASE("layer_norm matches the formula on a hand-computed row", "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{1, 2, 3, 4}, {1, 4});
  Tensor w = from_vector(std::vector<double>{1, 2, 1, 2}, {4});
  Tensor b = from_vector(std::vector<double>{0, 0, 1, 1}, {4});
  double r = 1 / std::sqrt(1.25 + 1e-5);  // mean 2.5, biased variance 1.25
  Tensor want =
      from_vector(std::vector<double>{-1.5 * r, -1.0 * r, 0.5 * r + 1, 3.0 * r + 1}, {1, 4});
  CHECK(compare(layer_norm(x, w, b), want, 1e-15, 1e-15) == "");
}

TEST_CASE("layer_norm: constant rows and D = 1 take the eps path", "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{2, 2, 2, 1, -1, 3}, {2, 3}).requires_grad_();
  Tensor b = from_vector(std::vector<double>{0.5, -1, 2}, {3});
  Tensor y = layer_norm(x, Tensor(), b);
  CHECK(compare(y.select(0, 0), b, 0, 0) == "");  // x - mean is exactly 0
  y.backward(ones_like(y.detach()));
  for (double g : x.grad().to_vector<double>()) CHECK(std::isfinite(g));
  Tensor one = from_vector(std::vector<double>{3, -7}, {2, 1});
  Tensor beta = from_vector(std::vector<double>{0.25}, {1});
  CHECK(compare(layer_norm(one, Tensor(), beta), full({2, 1}, 0.25, DType::f64), 0, 0) == "");
}

TEST_CASE("layer_norm: eps is added inside the sqrt and must be >= 0", "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{0, 2}, {1, 2});  // variance 1
  CHECK(layer_norm(x, Tensor(), Tensor(), Shape(), 3.0).to_vector<double>()[1] ==
        Approx(0.5).epsilon(1e-15));
  CHECK(layer_norm(x, Tensor(), Tensor(), Shape(), 0.0).to_vector<double>()[1] == 1.0);
  CHECK_THROWS_WITH(layer_norm(x, Tensor(), Tensor(), Shape(), -1.0),
                    Catch::Contains("[layer_norm] eps must be >= 0"));
}

TEST_CASE("layer_norm: f32 rows with a 1e4 offset keep full precision", "[unit][norm]") {
  // 1e4 + k / 16 is exact in f32; a one-pass E[x^2] - E[x]^2 would lose every digit here.
  std::vector<double> v;
  for (int i = 0; i < 24; ++i) v.push_back(1e4 + ((i * 7) % 11 - 5) / 16.0);
  Tensor x64 = from_vector(v, {3, 8});
  Tensor want = layer_norm(x64);
  Tensor got = layer_norm(x64.to(DType::f32));
  CHECK(got.dtype() == DType::f32);
  CHECK(compare(got.to(DType::f64), want, 1e-5, 1e-5) == "");
}

TEST_CASE("layer_norm: batch of one, non-contiguous and half inputs", "[unit][norm]") {
  Generator gen(11);
  Tensor base = randn({5, 4}, DType::f64, default_device(), &gen);
  Tensor xt = transpose(base, 0, 1);  // [4, 5], not contiguous
  REQUIRE_FALSE(xt.is_contiguous());
  Tensor w = rand({5}, DType::f64, default_device(), &gen) + 0.5;
  CHECK(compare(layer_norm(xt, w), layer_norm(xt.contiguous(), w), 0, 0) == "");
  Tensor row = xt.slice(0, 1, 2);  // [1, 5]
  CHECK(compare(layer_norm(row, w), layer_norm(xt, w).slice(0, 1, 2), 1e-15, 1e-15) == "");
  // f16 in, f16 out, statistics in f32.
  Tensor h = layer_norm(base.to(DType::f16));
  CHECK(h.dtype() == DType::f16);
  Tensor h64 = base.to(DType::f16).to(DType::f64);
  CHECK(compare(h.to(DType::f64), layer_norm(h64), 2e-3, 2e-3) == "");
}

TEST_CASE("layer_norm: bad inputs name the op", "[unit][norm][errors]") {
  Tensor x = zeros({2, 3}, DType::f64);
  CHECK_THROWS_WITH(layer_norm(x, Tensor(), Tensor(), Shape{4}),
                    Catch::Contains("[layer_norm] normalized_shape [4]"));
  CHECK_THROWS_WITH(layer_norm(x, ones({2}, DType::f64)),
                    Catch::Contains("[layer_norm] weight must have shape [3]"));
  CHECK_THROWS_WITH(layer_norm(zeros({2, 3}, DType::i64)), Catch::Contains("[layer_norm]"));
  CHECK_THROWS_WITH(layer_norm(scalar(1.0)), Catch::Contains("[layer_norm]"));
}

// x as fixed values (sin of the index, spread over [-1.5, 1.5]) and the mean and rstd of its
// rows of `d` (eps 1e-5): the statistics the forward would have saved.
static void row_stats(int64_t rows, int64_t d, std::vector<double>& x, std::vector<double>& mean,
                      std::vector<double>& rstd) {
  for (int64_t i = 0; i < rows * d; ++i) x.push_back(1.5 * std::sin(1.3 * i + 0.4));
  for (int64_t r = 0; r < rows; ++r) {
    double m = 0, v = 0;
    for (int64_t j = 0; j < d; ++j) m += x[r * d + j] / d;
    for (int64_t j = 0; j < d; ++j) v += (x[r * d + j] - m) * (x[r * d + j] - m) / d;
    mean.push_back(m);
    rstd.push_back(1 / std::sqrt(v + 1e-5));
  }
}

LATHE_CASES(layer_norm_backward) {
  add(Case("layer_norm_backward").in("g", {3, 5}).in("x", {3, 5}).in("weight", {5}, 0.5, 2.0)
          .in("mean", {3}, -0.5, 0.5).in("rstd", {3}, 0.5, 2.0)
          .note("g, x [3,5], weight [5], free mean and rstd"));
  add(Case("layer_norm_backward", "free_trailing_two").in("g", {2, 3, 4}).in("x", {2, 3, 4})
          .in("mean", {2}, -0.5, 0.5).in("rstd", {2}, 0.5, 2.0)
          .attr("normalized_shape", lathe::Axes{3, 4})
          .note("x [2,3,4] over [3,4], no weight, free mean and rstd"));
  std::vector<double> x, mean, rstd;
  row_stats(3, 5, x, mean, rstd);
  add(Case("layer_norm_backward", "weight")
          .normal("g", {3, 5})
          .values("x", {3, 5}, x)
          .in("weight", {5}, 0.5, 2.0)
          .values("mean", {3}, mean)
          .values("rstd", {3}, rstd)
          .note("g, x [3,5], weight [5], the rows' mean and rstd"));
  x.clear();
  mean.clear();
  rstd.clear();
  row_stats(2, 12, x, mean, rstd);
  add(Case("layer_norm_backward", "trailing_two")
          .normal("g", {2, 3, 4})
          .values("x", {2, 3, 4}, x)
          .values("mean", {2}, mean)
          .values("rstd", {2}, rstd)
          .attr("normalized_shape", lathe::Axes{3, 4})
          .note("x [2,3,4] over [3,4], no weight, the rows' mean and rstd"));
}
