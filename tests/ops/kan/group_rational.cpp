// Test cases for ops/kan/group_rational.cpp and the KATGroup module: the three denominator
// variants, the GELU-initialization pitfall, the identity initialization, and the CUDA
// kernel's closed-form gradients.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

LATHE_CASES(group_rational) {
  // |x| >= 0.2 and |b| >= 0.05 keep the abs kinks away; "paper" also kinks where
  // sum_j b_j x^j = 0, which these draws avoid (checked by the oracle's --check too).
  for (const char* v : {"paper", "kernel"})
    add(Case("group_rational", v)
            .away("x", {2, 3, 8}, 0.2, 1.5)
            .in("numerator", {2, 6}, -0.5, 0.5)
            .away("denominator", {2, 4}, 0.05, 0.5)
            .attr("variant", v)
            .note(std::string("x [2,3,8], 2 groups, orders (5, 4), |x| >= 0.2, variant ") + v));
  // Small denominators keep 1 + sum |b_j| x^j >= 0.4 on |x| <= 1.5 (no poles).
  add(Case("group_rational", "torch_ref")
          .away("x", {2, 3, 8}, 0.2, 1.5)
          .in("numerator", {2, 6}, -0.5, 0.5)
          .away("denominator", {2, 4}, 0.01, 0.05)
          .attr("variant", "torch_ref")
          .note("x [2,3,8], 2 groups, orders (5, 4), |x| >= 0.2, variant torch_ref"));
  add(Case("group_rational", "shared_numerator")
          .away("x", {2, 8}, 0.2, 1.5)
          .in("numerator", {1, 6}, -0.5, 0.5)
          .away("denominator", {4, 4}, 0.05, 0.5)
          .note("numerator [1,6] shared by 4 groups (KAT_Group)"));
  add(Case("group_rational", "orders_3_2")
          .away("x", {3, 4}, 0.2, 1.5)
          .in("numerator", {1, 4}, -1.0, 1.0)
          .away("denominator", {1, 2}, 0.1, 1.0)
          .attr("variant", "kernel")
          .note("orders (3, 2) instead of (5, 4), one group, 2-D x"));
  std::vector<double> x;
  for (int i = 0; i < 12; ++i) x.push_back(-3.0 + 6.0 * i / 11);
  add(Case("group_rational", "gelu_init")
          .values("x", {1, 12}, x)
          .values("numerator", {1, 6},
                  {-0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675})
          .values("denominator", {1, 4}, {-0.14171056, -0.06481231, -0.0444695, 0.01283776})
          .oracle_only("paper gradchecks the same form")
          .note("init.json 'gelu' under the paper form: about GELU on [-3, 3]"));
  add(Case("group_rational", "identity")
          .normal("x", {2, 8})
          .values("numerator", {1, 6}, {0.0, 1.0, 0.0, 0.0, 0.0, 0.0})
          .values("denominator", {2, 4}, {0, 0, 0, 0, 0, 0, 0, 0})
          .attr("variant", "kernel")
          .at_kink("b = 0 sits on abs's kink")
          .note("identity init a = [0,1,0,0,0,0], b = 0: F(x) = x; b sits on abs's kink"));
}

namespace {
using namespace lathe;
using lathe::test::kan::f64;
using lathe::test::kan::max_abs_diff;

// kat_rational/init.json "gelu", as shipped.
Tensor gelu_numerator() {
  return f64({-0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675}, {1, 6});
}
Tensor gelu_denominator() {
  return f64({-0.14171056, -0.06481231, -0.0444695, 0.01283776}, {1, 4});
}

Tensor fit_range() { return arange(-3.0, 3.0001, 0.01, DType::f64); }   // [601]

double worst(const Tensor& a, const Tensor& b) { return max_abs_diff(a, b); }
}  // namespace

TEST_CASE("group_rational: init.json's gelu fits GELU only under the paper form",
          "[unit][kan]") {
  Tensor x = fit_range();
  Tensor want = gelu(x);
  CHECK(worst(group_rational(x, gelu_numerator(), gelu_denominator(), "paper"), want) < 0.003);
  CHECK(worst(group_rational(x, gelu_numerator(), gelu_denominator(), "kernel"), want) > 1.4);
  CHECK(worst(group_rational(x, gelu_numerator(), gelu_denominator(), "torch_ref"), want) > 1.4);
  // KATGroup picks the coefficient set that fits its variant.
  CHECK(worst(nn::KATGroup(1, "gelu", "paper", DType::f64).forward(x), want) < 0.003);
  CHECK(worst(nn::KATGroup(1, "gelu", "kernel", DType::f64).forward(x), want) < 0.005);
  CHECK(worst(nn::KATGroup(1, "gelu", "torch_ref", DType::f64).forward(x), want) < 0.05);
  for (const char* v : {"paper", "kernel", "torch_ref"})
    CHECK(worst(nn::KATGroup(1, "swish", v, DType::f64).forward(x), silu(x)) < 2e-4);
}

TEST_CASE("group_rational: the identity init is exact and b = 0 gets no gradient",
          "[unit][kan]") {
  // abs has gradient 0 at 0 (PyTorch; the CUDA kernel's sign(b)), so every variant leaves
  // identity-initialized denominators at 0 unless something else moves them.
  Tensor x = f64({-1.5, -0.3, 0.0, 0.4, 2.0, 7.0, -0.01, 1e-3}, {2, 4});
  for (const char* v : {"paper", "kernel", "torch_ref"}) {
    INFO(v);
    nn::KATGroup act(2, "identity", v, DType::f64);
    Tensor y = act.forward(x);
    CHECK(y.to_vector<double>() == x.to_vector<double>());
    sum(y * y).backward();
    CHECK(max(abs(act.weight_denominator.grad())).item() == 0.0);
    CHECK(max(abs(act.weight_numerator.grad())).item() > 0.0);
  }
}

TEST_CASE("group_rational: kernel-variant gradients match the CUDA kernel's formulas",
          "[unit][kan]") {
  // rational_kernel_group.cu: dF/dx = R/Q - S P/Q^2, dF/da_i = x^i / Q,
  // dF/db_j = -(P/Q^2) sign(b_j) |x|^j, with R = P', S = sign(x) sum_j j |b_j| |x|^(j-1).
  std::vector<double> xs = {-1.3, -0.4, 0.25, 0.9, 1.7};
  std::vector<double> a = {0.1, -0.7, 0.3, 0.2, -0.05, 0.02}, b = {0.4, -0.3, 0.2, -0.1};
  Tensor x = f64(xs, {5}).requires_grad_();
  Tensor ta = f64(a, {1, 6}).requires_grad_(), tb = f64(b, {1, 4}).requires_grad_();
  sum(group_rational(x, ta, tb, "kernel")).backward();
  std::vector<double> ga(6, 0.0), gb(4, 0.0);
  for (size_t n = 0; n < xs.size(); ++n) {
    double t = xs[n], at = std::fabs(t), sg = t > 0 ? 1.0 : -1.0;
    double p = 0, r = 0, q = 1, s = 0;
    for (int i = 0; i < 6; ++i) p += a[i] * std::pow(t, i);
    for (int i = 1; i < 6; ++i) r += i * a[i] * std::pow(t, i - 1);
    for (int j = 1; j <= 4; ++j) {
      q += std::fabs(b[j - 1]) * std::pow(at, j);
      s += j * std::fabs(b[j - 1]) * std::pow(at, j - 1);
    }
    s *= sg;
    CHECK(x.grad().to_vector<double>()[n] == Approx(r / q - s * p / (q * q)).epsilon(1e-12));
    for (int i = 0; i < 6; ++i) ga[i] += std::pow(t, i) / q;
    for (int j = 1; j <= 4; ++j)
      gb[j - 1] += -(p / (q * q)) * (b[j - 1] > 0 ? 1.0 : -1.0) * std::pow(at, j);
  }
  std::vector<double> got_a = ta.grad().to_vector<double>(), got_b = tb.grad().to_vector<double>();
  for (int i = 0; i < 6; ++i) CHECK(got_a[i] == Approx(ga[i]).epsilon(1e-12));
  for (int j = 0; j < 4; ++j) CHECK(got_b[j] == Approx(gb[j]).epsilon(1e-12));
}

TEST_CASE("group_rational: large |x| grows linearly (degree 5 over degree 4)", "[unit][kan]") {
  Tensor a = f64({0.0, 0.5, 0.1, 0.0, 0.02, 0.3}, {1, 6}), b = f64({0.2, 0.1, 0.1, 0.6}, {1, 4});
  Tensor y = group_rational(f64({1e4, -1e4}, {2}), a, b, "kernel");
  std::vector<double> v = y.to_vector<double>();
  CHECK(v[0] / 1e4 == Approx(0.5).epsilon(1e-3));   // a_5 / |b_4|
  CHECK(v[1] / -1e4 == Approx(0.5).epsilon(1e-3));
}

TEST_CASE("group_rational and KATGroup: groups, state dicts, bad inputs", "[unit][kan][errors]") {
  Tensor x = normal({2, 6}, 0.0, 1.0, DType::f64);
  Tensor a = zeros({1, 6}, DType::f64), b = zeros({4, 4}, DType::f64);
  CHECK_THROWS_WITH(group_rational(x, a, b),
                    Catch::Contains("[group_rational] the last dim of x [2, 6] must split into 4"));
  CHECK_THROWS_WITH(group_rational(x, zeros({3, 6}, DType::f64), zeros({3, 4}, DType::f64), "pade"),
                    Catch::Contains("[group_rational] variant must be"));
  CHECK_THROWS_WITH(group_rational(x, zeros({2, 6}, DType::f64), zeros({3, 4}, DType::f64)),
                    Catch::Contains("[group_rational] numerator must be [groups = 3 or 1"));
  CHECK_THROWS_WITH(nn::KATGroup(8, "tanh"), Catch::Contains("[KATGroup] mode"));
  // Each group uses its own denominator: changing group 1's moves only channels 3..5.
  Tensor bb = normal({2, 4}, 0.0, 0.5, DType::f64), an = normal({1, 6}, 0.0, 0.5, DType::f64);
  Tensor y0 = group_rational(x, an, bb);
  Tensor bb2 = bb.clone();
  bb2.narrow(0, 1, 1).fill_(0.9);
  Tensor y1 = group_rational(x, an, bb2);
  CHECK(max_abs_diff(narrow(y0, 1, 0, 3), narrow(y1, 1, 0, 3)) == 0.0);
  CHECK(max_abs_diff(narrow(y0, 1, 3, 3), narrow(y1, 1, 3, 3)) > 1e-3);

  nn::KATGroup g1(2, "gelu", "paper", DType::f64), g2(2, "swish", "paper", DType::f64);
  REQUIRE(g1.state_dict().size() == 2);
  CHECK(g1.weight_denominator.shape() == Shape{2, 4});
  g2.load_state_dict(g1.state_dict());
  CHECK(max_abs_diff(g2.forward(x), g1.forward(x)) == 0.0);
}
