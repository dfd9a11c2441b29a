// Linear algebra: hand values, the factorizations' identities on both host backends, bad input
// (errors name the op), repeated eigen- and singular values, the host fallback of a backend
// without the kernels.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "lathe.h"
#include "ops/linalg/linalg.h"

using namespace lathe;

namespace {

Tensor mat(std::vector<double> v, const Shape& shape, Device device = Device::reference()) {
  return from_vector(v, shape, DType::f64, device);
}

Tensor identity(int64_t n, DType dt, Device dev) {
  std::vector<double> v(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) v[i * n + i] = 1;
  return from_vector(v, {n, n}, dt, dev);
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  REQUIRE(x.size() == y.size());
  double m = 0;
  for (size_t i = 0; i < x.size(); ++i) m = std::fmax(m, std::fabs(x[i] - y[i]));
  return m;
}

std::vector<Device> host_devices() {
  std::vector<Device> d{Device::reference()};
  if (default_device() != Device::reference()) d.push_back(default_device());
  return d;
}

}  // namespace

TEST_CASE("linalg: hand values", "[unit][linalg]") {
  for (Device dev : host_devices()) {
    INFO(dev);
    // [[4, 2], [2, 3]] = L L^T with L = [[2, 0], [1, sqrt 2]].
    Tensor a = mat({4, 2, 2, 3}, {2, 2}, dev);
    CHECK(max_abs_diff(cholesky(a), mat({2, 0, 1, std::sqrt(2.0)}, {2, 2})) < 1e-14);
    CHECK(det(a).item() == Approx(8.0).epsilon(1e-14));
    CHECK(max_abs_diff(inv(a), mat({3.0 / 8, -2.0 / 8, -2.0 / 8, 4.0 / 8}, {2, 2})) < 1e-14);
    // Eigenvalues of [[2, 1], [1, 2]]: 1 and 3, eigenvectors (1, -1)/sqrt2 -> sign so that the
    // first of the two equal-magnitude entries is positive, and (1, 1)/sqrt2.
    auto [w, v] = eigh(mat({2, 1, 1, 2}, {2, 2}, dev));
    double r = 1 / std::sqrt(2.0);
    CHECK(max_abs_diff(w, mat({1, 3}, {2})) < 1e-14);
    CHECK(max_abs_diff(v, mat({r, r, -r, r}, {2, 2})) < 1e-14);
    // sqrtm of diag(4, 9) and of a rotation of it.
    CHECK(max_abs_diff(sqrtm_psd(mat({4, 0, 0, 9}, {2, 2}, dev)), mat({2, 0, 0, 3}, {2, 2})) <
          1e-14);
    const std::vector<double> spd = {12.37, -0.09, -3.89, -0.09, 2.07, 1.44, -3.89, 1.44, 6.38};
    Tensor s = sqrtm_psd(mat(spd, {3, 3}, dev));
    CHECK(max_abs_diff(matmul(s, s), mat(spd, {3, 3})) < 1e-12);
    // Singular values of [[3, 0], [4, 5]]: sqrt(45) and sqrt(5); nuclear norm their sum.
    Tensor b = mat({3, 0, 4, 5}, {2, 2}, dev);
    CHECK(max_abs_diff(svdvals(b), mat({std::sqrt(45.0), std::sqrt(5.0)}, {2})) < 1e-13);
    CHECK(matrix_norm(b, "nuc").item() == Approx(std::sqrt(45.0) + std::sqrt(5.0)));
    CHECK(matrix_norm(b, "2").item() == Approx(std::sqrt(45.0)));
    CHECK(matrix_norm(b).item() == Approx(std::sqrt(50.0)));
    // slogdet of a singular matrix: sign 0, log|det| -inf; det 0.
    auto [sign, logabs] = slogdet(mat({1, 2, 2, 4}, {2, 2}, dev));
    CHECK(sign.item() == 0);
    CHECK(logabs.item() == -std::numeric_limits<double>::infinity());
    CHECK(det(mat({1, 2, 2, 4}, {2, 2}, dev)).item() == 0);
  }
}

TEST_CASE("linalg: factorizations reconstruct their input on every host backend",
          "[unit][linalg]") {
  for (Device dev : host_devices()) {
    for (DType dt : {DType::f64, DType::f32}) {
      INFO(dev << " " << dt);
      double tol = dt == DType::f64 ? 1e-12 : 2e-5;
      Tensor a = randn({2, 5, 3}, dt, dev);
      auto [u, s, vh] = svd(a);
      CHECK(max_abs_diff(matmul(u * unsqueeze(s, -2), vh), a) < tol);
      CHECK(max_abs_diff(matmul(transpose(u, -1, -2), u), expand(identity(3, dt, dev), {2, 3, 3})) <
            tol);
      auto [q, rr] = qr(a);
      CHECK(max_abs_diff(matmul(q, rr), a) < tol);
      Tensor wide = randn({3, 5}, dt, dev);
      auto [uw, sw, vhw] = svd(wide);
      CHECK(max_abs_diff(matmul(uw * unsqueeze(sw, -2), vhw), wide) < tol);
      auto [qw, rw] = qr(wide);
      CHECK(max_abs_diff(matmul(qw, rw), wide) < tol);
      Tensor g = randn({4, 4}, dt, dev);
      Tensor spd = matmul(g, transpose(g, 0, 1)) + 4.0 * identity(4, dt, dev);
      Tensor l = cholesky(spd);
      CHECK(max_abs_diff(matmul(l, transpose(l, 0, 1)), spd) < tol * 10);
      Tensor x = solve(g, spd);
      CHECK(max_abs_diff(matmul(g, x), spd) < tol * 100);
    }
  }
}

TEST_CASE("linalg: bad input names the op", "[unit][linalg][errors]") {
  Tensor sq = mat({1, 2, 3, 4}, {2, 2});
  Tensor rect = mat({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor vec = mat({1, 2}, {2});
  CHECK_THROWS_WITH(cholesky(rect), Catch::StartsWith("[cholesky] a must be square"));
  CHECK_THROWS_WITH(eigh(rect), Catch::StartsWith("[eigh] a must be square"));
  CHECK_THROWS_WITH(det(rect), Catch::StartsWith("[det] a must be square"));
  CHECK_THROWS_WITH(cholesky(vec), Catch::StartsWith("[cholesky] a must be a matrix"));
  CHECK_THROWS_WITH(svd(vec), Catch::StartsWith("[svd] a must be a matrix"));
  CHECK_THROWS_WITH(inv(cast(sq, DType::f16)), Catch::StartsWith("[inv] a must be f32 or f64"));
  CHECK_THROWS_WITH(solve(sq, mat({1, 2, 3}, {3})), Catch::StartsWith("[solve] b must be"));
  CHECK_THROWS_WITH(matrix_norm(sq, "inf"), Catch::StartsWith("[matrix_norm] ord must be"));
  for (Device dev : host_devices()) {
    INFO(dev);
    Tensor singular = mat({1, 2, 2, 4}, {2, 2}, dev);
    CHECK_THROWS_WITH(inv(singular), Catch::StartsWith("[solve]") &&
                                         Catch::Contains("the matrix is singular"));
    CHECK_THROWS_WITH(solve(singular, mat({1, 1}, {2}, dev)),
                      Catch::StartsWith("[solve]") && Catch::Contains("singular"));
    CHECK_THROWS_WITH(solve_triangular(mat({1, 0, 2, 0}, {2, 2}, dev), mat({1, 1}, {2, 1}, dev),
                                       false),
                      Catch::StartsWith("[solve_triangular]") && Catch::Contains("singular"));
    CHECK_THROWS_WITH(cholesky(mat({1, 2, 2, 1}, {2, 2}, dev)),
                      Catch::StartsWith("[cholesky]") &&
                          Catch::Contains("not positive-definite (batch 0: the leading minor of "
                                          "order 2"));
    // Batched: the error names the batch entry.
    CHECK_THROWS_WITH(cholesky(mat({1, 0, 0, 1, -1, 0, 0, 1}, {2, 2, 2}, dev)),
                      Catch::Contains("batch 1"));
    CHECK_THROWS_WITH(sqrtm_psd(mat({1, 0, 0, -0.5}, {2, 2}, dev)),
                      Catch::StartsWith("[sqrtm_psd]") &&
                          Catch::Contains("not positive semi-definite (batch 0: eigenvalue -0.5)"));
    // A rounding-level negative eigenvalue is 0: sqrtm of a singular PSD matrix is finite.
    Tensor s = sqrtm_psd(mat({1, 1, 1, 1 - 1e-15}, {2, 2}, dev));
    CHECK(max_abs_diff(matmul(s, s), mat({1, 1, 1, 1}, {2, 2})) < 1e-7);
  }
}

// Repeated eigenvalues (torch's behaviour): eigvalsh and sqrtm_psd have finite gradients; eigh's
// eigenvalues alone too; a gradient through the eigenvectors of a degenerate pair is not finite.
TEST_CASE("linalg: repeated eigenvalues and singular values", "[unit][linalg]") {
  for (Device dev : host_devices()) {
    INFO(dev);
    Tensor a = mat({2, 0, 0, 0, 2, 0, 0, 0, 5}, {3, 3}, dev).requires_grad_();
    sum(eigvalsh(a)).backward();  // d trace / dA = I
    CHECK(max_abs_diff(a.grad(), identity(3, DType::f64, Device::reference())) < 1e-14);
    a.set_grad(Tensor());
    sum(eigh(a).first).backward();  // only w used: gV is zero, no 0/0
    CHECK(max_abs_diff(a.grad(), identity(3, DType::f64, Device::reference())) < 1e-14);
    a.set_grad(Tensor());
    // d trace(sqrt(A)) / dA = A^-1/2 / 2: diag(1/(2 sqrt 2), 1/(2 sqrt 2), 1/(2 sqrt 5)).
    sum(sqrtm_psd(a) * identity(3, DType::f64, dev)).backward();
    CHECK(max_abs_diff(a.grad(), mat({0.5 / std::sqrt(2.0), 0, 0, 0, 0.5 / std::sqrt(2.0), 0, 0, 0,
                                      0.5 / std::sqrt(5.0)},
                                     {3, 3})) < 1e-14);
    a.set_grad(Tensor());
    Tensor seed = mat({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3}, dev);
    sum(eigh(a).second * seed).backward();
    std::vector<double> g = a.grad().to_vector<double>();
    bool finite = true;
    for (double x : g) finite = finite && std::isfinite(x);
    CHECK_FALSE(finite);
    // svdvals of 2 I: repeated singular values, gradient U Vh = I.
    Tensor b = (2.0 * identity(2, DType::f64, dev)).requires_grad_();
    sum(svdvals(b)).backward();
    CHECK(max_abs_diff(b.grad(), identity(2, DType::f64, Device::reference())) < 1e-14);
  }
}

TEST_CASE("linalg: the qr gradient of a wide matrix is an error", "[unit][linalg][errors]") {
  Tensor a = mat({1, 2, 3, 4, 5, 7}, {2, 3}).requires_grad_();
  auto [q, r] = qr(a);
  CHECK(max_abs_diff(matmul(q, r), a) < 1e-14);
  CHECK_THROWS_WITH(sum(r).backward(), Catch::StartsWith("[qr] the gradient needs m >= n"));
}

// A backend without the kernels (cuda today) gets the reference's through the host: a copy of
// the reference table with no run_fused stands in for it. It reports no device afterwards, so
// the conformance runners of a later test case in this process skip it.
TEST_CASE("linalg and fft run on a backend without their kernels, through the host",
          "[unit][linalg][fft]") {
  static bool alive = true;
  static lathe_backend table = find_backend("reference")->fn();
  table.name = "no_linalg";
  table.supports = nullptr;
  table.run_fused = nullptr;
  table.device_count = []() -> int32_t { return alive ? 1 : 0; };
  alive = true;
  if (!find_backend("no_linalg")) register_backend(&table);
  Device dev = Device::parse("no_linalg");
  const std::vector<double> spd = {12.37, -0.09, -3.89, -0.09, 2.07, 1.44, -3.89, 1.44, 6.38};
  const std::vector<double> seed = {1, -2, 0.5, 3, 0.25, -1, 2, 1.5, -0.75};
  std::vector<Tensor> grads;
  std::vector<Tensor> values;
  for (Device d : {Device::reference(), dev}) {
    Tensor a = mat(spd, {3, 3}, d).requires_grad_();
    Tensor l = cholesky(a);
    auto [w, v] = eigh(a);
    Tensor f = fft(reshape(a, {3, 3}).unsqueeze(-1).expand({3, 3, 2}).contiguous(), 0);
    CHECK(l.device() == d);
    CHECK(v.device() == d);
    CHECK(f.device() == d);
    Tensor s = mat(seed, {3, 3}, d);
    sum(l * s + v * s).backward();
    values.push_back(concat({l.reshape({9}), w, v.reshape({9}), f.reshape({18})}));
    grads.push_back(a.grad());
  }
  CHECK(max_abs_diff(values[0], values[1]) == 0);
  CHECK(max_abs_diff(grads[0], grads[1]) == 0);
  alive = false;
}
