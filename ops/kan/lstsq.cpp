#include "ops/kan/lstsq.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace lathe::kan {

std::vector<double> lstsq_min_norm(const std::vector<double>& a, int64_t m, int64_t n,
                                   const std::vector<double>& b, int64_t r) {
  LATHE_CHECK(m >= 0 && n >= 0 && r >= 0 && static_cast<int64_t>(a.size()) == m * n &&
                  static_cast<int64_t>(b.size()) == m * r,
              "[lstsq] expected A [", m, ", ", n, "] and B [", m, ", ", r, "], got ", a.size(),
              " and ", b.size(), " values");
  // Column-major copies: Jacobi rotates pairs of columns.
  std::vector<double> u(static_cast<size_t>(m * n)), v(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) u[j * m + i] = a[i * n + j];
  for (int64_t j = 0; j < n; ++j) v[j * n + j] = 1.0;
  auto dot = [m](const double* p, const double* q) {
    double s = 0;
    for (int64_t i = 0; i < m; ++i) s += p[i] * q[i];
    return s;
  };
  auto rotate = [](double* p, double* q, int64_t len, double c, double s) {
    for (int64_t i = 0; i < len; ++i) {
      double x = p[i], y = q[i];
      p[i] = c * x - s * y;
      q[i] = s * x + c * y;
    }
  };

  const double eps = std::numeric_limits<double>::epsilon();
  for (int sweep = 0; sweep < 100; ++sweep) {
    bool rotated = false;
    for (int64_t p = 0; p < n; ++p) {
      for (int64_t q = p + 1; q < n; ++q) {
        double* up = &u[p * m];
        double* uq = &u[q * m];
        double alpha = dot(up, up), beta = dot(uq, uq), gamma = dot(up, uq);
        if (std::fabs(gamma) <= eps * std::sqrt(alpha * beta)) continue;
        // The rotation that zeroes the (p, q) entry of the 2x2 Gram matrix.
        double zeta = (beta - alpha) / (2.0 * gamma);
        double t = (zeta >= 0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1.0 + zeta * zeta));
        double c = 1.0 / std::sqrt(1.0 + t * t), s = c * t;
        rotate(up, uq, m, c, s);
        rotate(&v[p * n], &v[q * n], n, c, s);
        rotated = true;
      }
    }
    if (!rotated) break;
  }

  std::vector<double> sigma(static_cast<size_t>(n));
  double sigma_max = 0;
  for (int64_t j = 0; j < n; ++j) {
    sigma[j] = std::sqrt(dot(&u[j * m], &u[j * m]));
    sigma_max = std::max(sigma_max, sigma[j]);
  }
  double cutoff = eps * static_cast<double>(std::max(m, n)) * sigma_max;
  std::vector<double> x(static_cast<size_t>(n * r), 0.0);
  for (int64_t j = 0; j < n; ++j) {
    if (sigma[j] <= cutoff || sigma[j] == 0) continue;
    const double* uj = &u[j * m];  // = sigma_j times the j-th left singular vector
    for (int64_t c = 0; c < r; ++c) {
      double w = 0;
      for (int64_t i = 0; i < m; ++i) w += uj[i] * b[i * r + c];
      w /= sigma[j] * sigma[j];
      for (int64_t k = 0; k < n; ++k) x[k * r + c] += v[j * n + k] * w;
    }
  }
  return x;
}

}  // namespace lathe::kan
