// Special functions, index ops and distances (issue 14): domain edges and poles (PyTorch's
// inf/NaN), hand values, and bad input naming the op. Case lists are in the files beside this.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "lathe.h"

using namespace lathe;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

Tensor f64(std::vector<double> v) {
  int64_t n = static_cast<int64_t>(v.size());
  return from_vector(v, {n}, DType::f64);
}

std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }

}  // namespace

TEST_CASE("special functions at their domain edges and poles, as PyTorch", "[unit][special]") {
  auto v = values(atanh(f64({1.0, -1.0, 1.5})));
  CHECK(v[0] == kInf);
  CHECK(v[1] == -kInf);
  CHECK(std::isnan(v[2]));
  v = values(log1p(f64({-1.0, -2.0})));
  CHECK(v[0] == -kInf);
  CHECK(std::isnan(v[1]));
  v = values(acosh(f64({1.0, 0.5})));
  CHECK(v[0] == 0.0);
  CHECK(std::isnan(v[1]));
  v = values(lgamma(f64({0.0, -1.0, -2.0})));
  for (double y : v) CHECK(y == kInf);
  v = values(digamma(f64({0.0, -0.0, -1.0, -2.0})));
  CHECK(v[0] == -kInf);
  CHECK(v[1] == kInf);
  CHECK(std::isnan(v[2]));
  CHECK(std::isnan(v[3]));
  v = values(polygamma(1, f64({0.0, -3.0})));
  CHECK(v[0] == kInf);
  CHECK(v[1] == kInf);
  v = values(erfinv(f64({1.0, -1.0, 1.5})));
  CHECK(v[0] == kInf);
  CHECK(v[1] == -kInf);
  CHECK(std::isnan(v[2]));
  // The gradient at atanh's pole is infinite, as PyTorch's 1 / (1 - x^2).
  Tensor x = f64({1.0}).requires_grad_();
  sum(atanh(x)).backward();
  CHECK(x.grad().item() == kInf);
}

TEST_CASE("special functions: hand values in f64 and f32", "[unit][special]") {
  const double pi = 3.14159265358979323846, euler = 0.57721566490153286061;
  for (DType t : {DType::f64, DType::f32}) {
    const double tol = t == DType::f64 ? 1e-14 : 1e-6;
    auto at = [&](double x) { return from_vector(std::vector<double>{x}, {1}, t); };
    CHECK(digamma(at(1.0)).item() == Approx(-euler).epsilon(tol));
    CHECK(polygamma(1, at(1.0)).item() == Approx(pi * pi / 6).epsilon(tol));
    CHECK(polygamma(2, at(1.0)).item() == Approx(-2.0 * 1.2020569031595942854).epsilon(tol));
    CHECK(lgamma(at(0.5)).item() == Approx(0.5 * std::log(pi)).epsilon(tol));
    CHECK(erfinv(erf(at(0.3))).item() == Approx(0.3).epsilon(tol * 10));
    CHECK(log1p(at(1e-12)).item() == Approx(1e-12 - 5e-25).epsilon(tol));  // x - x^2 / 2
    CHECK(expm1(at(-3e-9)).item() == Approx(-3e-9 + 4.5e-18).epsilon(tol));  // x + x^2 / 2
  }
  // Reflection: digamma(1 - x) - digamma(x) = pi cot(pi x); trigamma's: pi^2 / sin^2(pi x).
  for (double x : {0.3, -2.7, -11.25}) {
    double d = digamma(f64({1.0 - x})).item() - digamma(f64({x})).item();
    CHECK(d == Approx(pi / std::tan(pi * x)).epsilon(1e-12));
    double s = std::sin(pi * x);
    double t = polygamma(1, f64({1.0 - x})).item() + polygamma(1, f64({x})).item();
    CHECK(t == Approx(pi * pi / (s * s)).epsilon(1e-12));
  }
  // Rounding: halves to even; the gradient is zero.
  Tensor r = f64({2.5, -0.5, 1.5, -1.5}).requires_grad_();
  CHECK(values(round(r)) == std::vector<double>{2.0, -0.0, 2.0, -2.0});
  CHECK(values(floor(r)) == std::vector<double>{2.0, -1.0, 1.0, -2.0});
  CHECK(values(ceil(r)) == std::vector<double>{3.0, -0.0, 2.0, -1.0});
  CHECK(values(trunc(r)) == std::vector<double>{2.0, -0.0, 1.0, -1.0});
  sum(round(r) + floor(r) + ceil(r) + trunc(r)).backward();
  CHECK(values(r.grad()) == std::vector<double>{0.0, 0.0, 0.0, 0.0});
  // hypot never forms the squares; atan2 by quadrant.
  CHECK(values(hypot(f64({1e200, 3e-200}), f64({1e200, 4e-200})))[0] ==
        Approx(std::sqrt(2.0) * 1e200).epsilon(1e-15));
  CHECK(values(hypot(f64({3e-200}), f64({4e-200})))[0] == Approx(5e-200).epsilon(1e-15));
  auto angles = values(atan2(f64({1.0, 1.0, -1.0}), f64({1.0, -1.0, -1.0})));
  CHECK(angles[0] == Approx(pi / 4).epsilon(1e-15));
  CHECK(angles[1] == Approx(3 * pi / 4).epsilon(1e-15));
  CHECK(angles[2] == Approx(-3 * pi / 4).epsilon(1e-15));
}

TEST_CASE("xlogy is 0 at x == 0 whatever b is, NaN for a NaN b", "[unit][special]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = f64({0.0, 0.0, 0.0, 2.0}).requires_grad_();
  Tensor b = f64({0.0, kInf, 3.0, 0.5}).requires_grad_();
  auto y = values(xlogy(x, b));
  CHECK(y[0] == 0.0);
  CHECK(y[1] == 0.0);
  CHECK(y[2] == 0.0);
  CHECK(y[3] == Approx(2.0 * std::log(0.5)));
  sum(xlogy(x, b)).backward();
  // PyTorch's, except dy/dx at b = inf (PyTorch: inf) and dy/db at x == b == 0 (PyTorch: NaN).
  CHECK(values(x.grad()) == std::vector<double>{0.0, 0.0, std::log(3.0), std::log(0.5)});
  CHECK(values(b.grad()) == std::vector<double>{0.0, 0.0, 0.0, 4.0});
  CHECK(std::isnan(values(xlogy(f64({0.0}), f64({nan})))[0]));
}

TEST_CASE("cumprod's gradient is exact at zeros, cummax follows torch's tie and NaN rule",
          "[unit][special]") {
  Tensor x = f64({2.0, 0.0, 3.0}).requires_grad_();
  Tensor y = cumprod(x, 0);
  CHECK(values(y) == std::vector<double>{2.0, 0.0, 0.0});
  sum(y).backward();
  // d/dx0 (x0 + x0 x1 + x0 x1 x2) = 1 + x1 + x1 x2, d/dx1 = x0 + x0 x2, d/dx2 = x0 x1
  CHECK(values(x.grad()) == std::vector<double>{1.0, 8.0, 0.0});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto [v, i] = cummax(f64({1.0, nan, 3.0, nan, 5.0}), 0);
  CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{0, 1, 1, 3, 3});
  CHECK(std::isnan(values(v)[4]));
  auto [v2, i2] = cummax(f64({1.0, 3.0, 3.0, 2.0, 3.0}), 0);
  CHECK(i2.to_vector<int64_t>() == std::vector<int64_t>{0, 1, 2, 2, 4});
  CHECK(values(v2) == std::vector<double>{1.0, 3.0, 3.0, 3.0, 3.0});
}

TEST_CASE("order statistics, distances and norms: hand values", "[unit][special]") {
  Tensor x = f64({3.0, 1.0, 4.0, 1.5, 9.0, 2.0});
  auto [m, mi] = median(x, 0);
  CHECK(m.item() == 2.0);  // the lower of 2 and 3
  CHECK(mi.item() == 5.0);
  CHECK(quantile(x, 0.5, 0).item() == Approx(2.5).epsilon(1e-15));
  CHECK(quantile(x, 0.9, 0).item() == Approx(4.0 + 0.5 * 5.0).epsilon(1e-15));
  CHECK(kthvalue(x, 6, 0).first.item() == 9.0);
  CHECK(norm(x, kInf).item() == 9.0);
  CHECK(norm(x, 1.0).item() == Approx(20.5).epsilon(1e-15));
  CHECK(norm(f64({3.0, 0.0, -4.0}), 0.0).item() == 2.0);
  CHECK(var(x, {}, 0.0).item() == Approx(7.201388888888889).epsilon(1e-14));
  CHECK(var(x, {}, 6.0).item() == kInf);
  // The GEMM path of p = 2 agrees with the differences; a row against itself is distance 0 and
  // passes no gradient.
  Tensor a = randn({30, 8}, DType::f64), b = randn({27, 8}, DType::f64);
  Tensor d = cdist(a, b);
  Tensor direct = norm(unsqueeze(a, 1) - unsqueeze(b, 0), 2.0, {-1});
  CHECK(max(abs(d - direct)).item() < 1e-12);
  Tensor p = from_vector(std::vector<double>{1.0, 2.0, -1.0, 0.5}, {2, 2}, DType::f64);
  p.requires_grad_();
  Tensor self = cdist(p, p);
  CHECK(values(self)[0] == 0.0);
  sum(diagonal(self)).backward();
  CHECK(values(p.grad()) == std::vector<double>{0.0, 0.0, 0.0, 0.0});
  CHECK(values(pdist(p.detach()))[0] == Approx(std::hypot(2.0, 1.5)).epsilon(1e-15));
  // cosine_similarity of a zero row is 0; normalize leaves it 0.
  Tensor z = zeros({1, 3}, DType::f64);
  CHECK(cosine_similarity(z, ones({1, 3}, DType::f64)).item() == 0.0);
  CHECK(values(normalize(z)) == std::vector<double>{0.0, 0.0, 0.0});
}

TEST_CASE("special ops reject bad input, naming the op", "[unit][special][errors]") {
  Tensor x = f64({0.5, 0.25});
  Tensor m = zeros({2, 3}, DType::f64);
  Tensor ints = from_vector(std::vector<int64_t>{1, 2}, {2});
  CHECK_THROWS_WITH(log1p(ints), Catch::StartsWith("[log1p]"));
  CHECK_THROWS_WITH(digamma(ints), Catch::StartsWith("[digamma]"));
  CHECK_THROWS_WITH(round(ints), Catch::StartsWith("[round]"));
  CHECK_THROWS_WITH(atan2(ints, x), Catch::StartsWith("[atan2]"));
  CHECK_THROWS_WITH(hypot(x, ints), Catch::StartsWith("[hypot]"));
  CHECK_THROWS_WITH(polygamma(0, x), Catch::StartsWith("[polygamma] order n"));
  CHECK_THROWS_WITH(logit(x, 0.7), Catch::StartsWith("[logit] eps"));
  CHECK_THROWS_WITH(xlogy(ints, x), Catch::StartsWith("[xlogy]"));
  CHECK_THROWS_WITH(masked_fill(m, zeros({2, 3}), 1.0), Catch::StartsWith("[masked_fill] mask"));
  CHECK_THROWS_WITH(masked_fill(m, zeros({2}, DType::boolean), 1.0),
                    Catch::StartsWith("[masked_fill]") && Catch::Contains("[2]"));
  CHECK_THROWS_WITH(masked_fill(zeros({3}), zeros({2, 3}, DType::boolean), 1.0),
                    Catch::StartsWith("[masked_fill] mask of shape [2, 3]"));
  CHECK_THROWS_WITH(flip(m, {0, -2}), Catch::StartsWith("[flip] axis -2 given twice"));
  CHECK_THROWS_WITH(flip(m, {2}), Catch::StartsWith("[flip]"));
  CHECK_THROWS_WITH(roll(m, {1, 2}, {0}), Catch::StartsWith("[roll] shifts and dims"));
  CHECK_THROWS_WITH(tril(x), Catch::StartsWith("[tril] x must have at least 2 dims"));
  CHECK_THROWS_WITH(triu(x), Catch::StartsWith("[triu]"));
  CHECK_THROWS_WITH(diagonal(m, 0, 1, -1), Catch::StartsWith("[diagonal] dim1 and dim2"));
  CHECK_THROWS_WITH(diag(zeros({2, 2, 2})), Catch::StartsWith("[diag] x must be 1-D or 2-D"));
  CHECK_THROWS_WITH(repeat_interleave(m, -1, 0), Catch::StartsWith("[repeat_interleave]"));
  CHECK_THROWS_WITH(cumprod(m, 2), Catch::StartsWith("[cumprod]"));
  CHECK_THROWS_WITH(cummax(m, -3), Catch::StartsWith("[cummax]"));
  CHECK_THROWS_WITH(kthvalue(m, 4, 1), Catch::StartsWith("[kthvalue] k = 4 out of range"));
  CHECK_THROWS_WITH(median(m, 5), Catch::StartsWith("[median]"));
  CHECK_THROWS_WITH(quantile(m, 1.5, 1), Catch::StartsWith("[quantile] q must be in [0, 1]"));
  CHECK_THROWS_WITH(norm(m, -1.0), Catch::StartsWith("[norm] p must be"));
  CHECK_THROWS_WITH(cdist(m, zeros({2, 4}, DType::f64)),
                    Catch::StartsWith("[cdist] a and b must have the same number of features"));
  CHECK_THROWS_WITH(cdist(x, m), Catch::StartsWith("[cdist] a must be [..., rows, features]"));
  CHECK_THROWS_WITH(pdist(zeros({2, 2, 2}, DType::f64)), Catch::StartsWith("[pdist] x must be"));
  CHECK_THROWS_WITH(cosine_similarity(m, m, 1, -1.0), Catch::StartsWith("[cosine_similarity]"));
  CHECK_THROWS_WITH(normalize(m, 2.0, 1, -1.0), Catch::StartsWith("[normalize] eps"));
  CHECK_THROWS_WITH(var(m, {}, -1.0), Catch::StartsWith("[var] correction"));
  CHECK_THROWS_WITH(std_dev(ints), Catch::StartsWith("[std]"));
}
