// Test cases for ops/kan/relu_kan_basis.cpp: per-feature and shared phases, peaks, supports.
#include <catch2/catch.hpp>

#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

using lathe::test::kan::phases;

LATHE_CASES(relu_kan_basis) {
  // The basis is C1 at the support ends (a squared product of ReLUs), so first-order checks need
  // no margin; the second-order ones keep x off the phases (multiples of 1/g, jitter 0.01).
  add(Case("relu_kan_basis")
          .values("x", {4, 2}, {-0.47, 0.13, 0.55, 0.91, 1.27, 0.32, -0.09, 1.11})
          .values("low", {2, 8}, phases(2, 5, 3, false, 0.01))
          .values("high", {2, 8}, phases(2, 5, 3, true, 0.01))
          .note("[4,2], g 5, k 3, per-feature phases (jittered: trained)"));
  add(Case("relu_kan_basis", "shared")
          .values("x", {3, 3}, {-0.3, 0.2, 0.65, 0.9, 1.15, 0.05, -0.1, 0.35, 1.3})
          .values("low", {4}, phases(0, 2, 2, false, 0.01))
          .values("high", {4}, phases(0, 2, 2, true, 0.01))
          .attr("g", 2)
          .attr("k", 2)
          .note("phases [g + k] shared by all features, g 2, k 2"));
  add(Case("relu_kan_basis", "outside")
          .values("x", {3, 2}, {-2.0, 3.0, -0.6, 1.6, 0.0, 0.8})
          .values("low", {2, 8}, phases(2, 5, 3, false))
          .values("high", {2, 8}, phases(2, 5, 3, true))
          .at_kink("inputs exactly at the support ends")
          .note("outside every support all zero; exactly at s_i and e_i value and gradient are 0"));
}

namespace {
using namespace lathe;
using lathe::test::kan::f64;
}  // namespace

TEST_CASE("relu_kan_basis: each basis peaks at 1 mid-support and vanishes outside it",
          "[unit][kan]") {
  Tensor low = f64(phases(0, 5, 3, false), {8}), high = f64(phases(0, 5, 3, true), {8});
  std::vector<double> centres;
  for (int i = 0; i < 8; ++i) centres.push_back((i - 3) / 5.0 + 0.4);   // (s_i + e_i) / 2
  Tensor b = relu_kan_basis(f64(centres, {8, 1}), low, high);            // [8, 1, 8]
  std::vector<double> v = b.to_vector<double>();
  for (int i = 0; i < 8; ++i) CHECK(v[i * 8 + i] == Approx(1.0).epsilon(1e-12));
  // Outside every support (s_0 = -0.6, e_7 = 1.6) and exactly at s_i: value and gradient 0.
  Tensor x = f64({-2.0, 3.0, -0.6, 1.6}, {4, 1}).requires_grad_();
  Tensor lo = low.detach().requires_grad_();
  Tensor y = relu_kan_basis(x, lo, high);
  for (double t : y.to_vector<double>()) CHECK(t == 0.0);
  sum(y).backward();
  for (double t : x.grad().to_vector<double>()) CHECK(t == 0.0);
  for (double t : lo.grad().to_vector<double>()) CHECK(t == 0.0);
}

TEST_CASE("relu_kan_basis: bad inputs name the op", "[unit][kan][errors]") {
  Tensor x = zeros({4, 2}, DType::f64), low = f64(phases(0, 5, 3, false), {8});
  CHECK_THROWS_WITH(relu_kan_basis(x, low, low, 4, 3),
                    Catch::Contains("[relu_kan_basis] low must be [g + k = 7] or [in = 2, 7]"));
  CHECK_THROWS_WITH(relu_kan_basis(x, low, zeros({2, 8}, DType::f64)),
                    Catch::Contains("[relu_kan_basis] high must have shape [8]"));
  CHECK_THROWS_WITH(relu_kan_basis(x, low, low, 0, 3),
                    Catch::Contains("[relu_kan_basis] need g > 0"));
}
