// Cases and unit tests for ops/norm/rms_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(rms_norm) {
  add(Case("rms_norm", "weight").in("x", {3, 6}).in("weight", {6}, 0.5, 2.0)
          .note("[3,6] with weight"));
  add(Case("rms_norm", "no_weight").in("x", {2, 3, 4}).note("[2,3,4] without weight"));
  add(Case("rms_norm", "eps").in("x", {4, 2}, -0.2, 0.2).attr("eps", 0.01)
          .note("small inputs, eps 0.01"));
  add(Case("rms_norm", "zero_row")
          .values("x", {3, 5},
                  {0.4, -1.3, 0.9, 2.1, -0.6, 0, 0, 0, 0, 0, 1.7, -0.2, -1.5, 0.3, 0.8})
          .oracle_only("the eps path: the unit tests check it")
          .note("row 1 all zero: output 0 through the eps path"));
}

TEST_CASE("rms_norm: hand-computed row, all-zero row, eps", "[unit][norm]") {
  Tensor x = from_vector(std::vector<double>{3, -4, 0, 0}, {2, 2});
  Tensor y = rms_norm(x, Tensor(), 0.0);  // row 0: mean square 12.5
  CHECK(compare(y.select(0, 0),
                from_vector(std::vector<double>{3 / std::sqrt(12.5), -4 / std::sqrt(12.5)}, {2}),
                1e-15, 1e-15) == "");
  Tensor z = rms_norm(x);  // the zero row stays 0 through eps
  CHECK(z.select(0, 1).to_vector<double>() == std::vector<double>{0, 0});
  CHECK_THROWS_WITH(rms_norm(x, Tensor(), -1e-5), Catch::Contains("[rms_norm] eps"));
}

TEST_CASE("rms_norm equals layer_norm on zero-mean rows", "[unit][norm]") {
  Generator gen(3);
  Tensor v = randn({4, 7}, DType::f64, default_device(), &gen);
  Tensor centered = v - mean(v, {-1}, true);
  Tensor w = rand({7}, DType::f64, default_device(), &gen) + 0.5;
  CHECK(compare(rms_norm(centered, w), layer_norm(centered, w), 1e-13, 1e-13) == "");
  // Not for rows with a mean.
  CHECK(compare(rms_norm(v + 1.0), layer_norm(v + 1.0), 1e-3, 1e-3) != "");
}

TEST_CASE("rms_norm: f16 input keeps its dtype, statistics in f32", "[unit][norm]") {
  Generator gen(4);
  Tensor h = randn({3, 8}, DType::f32, default_device(), &gen).to(DType::f16);
  Tensor y = rms_norm(h);
  CHECK(y.dtype() == DType::f16);
  CHECK(compare(y.to(DType::f64), rms_norm(h.to(DType::f64)), 2e-3, 2e-3) == "");
}

TEST_CASE("rms_norm: bad inputs name the op", "[unit][norm][errors]") {
  CHECK_THROWS_WITH(rms_norm(zeros({2, 3}, DType::f64), ones({2}, DType::f64)),
                    Catch::Contains("[rms_norm] weight must have shape [3]"));
  CHECK_THROWS_WITH(rms_norm(zeros({2}, DType::i32)), Catch::Contains("[rms_norm]"));
}

// x as fixed values (sin of the index, spread over [-1.5, 1.5]) and the rstd of its rows of `d`
// (eps 1e-5): what the forward would have saved.
static void row_rstd(int64_t rows, int64_t d, std::vector<double>& x, std::vector<double>& rstd) {
  for (int64_t i = 0; i < rows * d; ++i) x.push_back(1.5 * std::sin(1.3 * i + 0.4));
  for (int64_t r = 0; r < rows; ++r) {
    double ms = 0;
    for (int64_t j = 0; j < d; ++j) ms += x[r * d + j] * x[r * d + j] / d;
    rstd.push_back(1 / std::sqrt(ms + 1e-5));
  }
}

LATHE_CASES(rms_norm_backward) {
  add(Case("rms_norm_backward").in("g", {3, 5}).in("x", {3, 5}).in("weight", {5}, 0.5, 2.0)
          .in("rstd", {3}, 0.5, 2.0).note("g, x [3,5], weight [5], free rstd"));
  add(Case("rms_norm_backward", "free_no_weight").in("g", {2, 3, 4}).in("x", {2, 3, 4})
          .in("rstd", {6}, 0.5, 2.0).note("g, x [2,3,4], no weight, free rstd"));
  std::vector<double> x, rstd;
  row_rstd(3, 5, x, rstd);
  add(Case("rms_norm_backward", "weight")
          .normal("g", {3, 5})
          .values("x", {3, 5}, x)
          .in("weight", {5}, 0.5, 2.0)
          .values("rstd", {3}, rstd)
          .note("g, x [3,5], weight [5], the rows' rstd"));
  x.clear();
  rstd.clear();
  row_rstd(6, 4, x, rstd);
  add(Case("rms_norm_backward", "no_weight")
          .normal("g", {2, 3, 4})
          .values("x", {2, 3, 4}, x)
          .values("rstd", {6}, rstd)
          .note("g, x [2,3,4] over the last dim, no weight, the rows' rstd"));
}
