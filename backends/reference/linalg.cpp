// The reference backend's linear algebra: textbook algorithms in plain loops, independent of
// LAPACK, so the conformance suite compares two implementations (backends/linalg.h has the
// contract and does the batching, dtypes, sign conventions and errors).
//   cholesky           Cholesky-Banachiewicz, row by row
//   solve_triangular   forward / back substitution
//   solve, slogdet     Gaussian elimination with partial pivoting (LU)
//   eigh               cyclic Jacobi rotations (Golub & Van Loan 8.5), quadratic convergence
//   svd                one-sided Jacobi (Hestenes) on the columns of A or of A^T
//   qr                 Householder reflections (Golub & Van Loan 5.2)
#include "backends/reference/linalg.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "backends/checks.h"
#include "backends/linalg.h"

namespace lathe_reference {
namespace {

constexpr double kEps = 2.220446049250313e-16;

int64_t cholesky(double* a, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (int64_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return j;
    double ljj = std::sqrt(d);
    a[j * n + j] = ljj;
    for (int64_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (int64_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) a[i * n + j] = 0;
  return -1;
}

int64_t solve_triangular(const double* a, double* b, int64_t n, int64_t k, bool upper) {
  for (int64_t i = 0; i < n; ++i)
    if (a[i * n + i] == 0) return i;
  for (int64_t c = 0; c < k; ++c) {
    for (int64_t step = 0; step < n; ++step) {
      int64_t i = upper ? n - 1 - step : step;
      double s = b[i * k + c];
      if (upper) {
        for (int64_t j = i + 1; j < n; ++j) s -= a[i * n + j] * b[j * k + c];
      } else {
        for (int64_t j = 0; j < i; ++j) s -= a[i * n + j] * b[j * k + c];
      }
      b[i * k + c] = s / a[i * n + i];
    }
  }
  return -1;
}

// LU with partial pivoting in place (unit lower L below the diagonal, U on and above); the row
// swaps are applied to b [n, k] as they happen (k may be 0). Returns the first zero pivot or -1;
// `swaps` counts the row exchanges.
int64_t lu(double* a, int64_t n, double* b, int64_t k, int64_t* swaps) {
  int64_t singular = -1;
  *swaps = 0;
  for (int64_t j = 0; j < n; ++j) {
    int64_t p = j;
    for (int64_t i = j + 1; i < n; ++i)
      if (std::fabs(a[i * n + j]) > std::fabs(a[p * n + j])) p = i;
    if (p != j) {
      ++*swaps;
      for (int64_t c = 0; c < n; ++c) std::swap(a[j * n + c], a[p * n + c]);
      for (int64_t c = 0; c < k; ++c) std::swap(b[j * k + c], b[p * k + c]);
    }
    if (a[j * n + j] == 0) {
      if (singular < 0) singular = j;
      continue;
    }
    for (int64_t i = j + 1; i < n; ++i) {
      double f = a[i * n + j] / a[j * n + j];
      a[i * n + j] = f;
      for (int64_t c = j + 1; c < n; ++c) a[i * n + c] -= f * a[j * n + c];
      for (int64_t c = 0; c < k; ++c) b[i * k + c] -= f * b[j * k + c];
    }
  }
  return singular;
}

int64_t solve(double* a, double* b, int64_t n, int64_t k) {
  int64_t swaps = 0;
  int64_t bad = lu(a, n, b, k, &swaps);
  if (bad >= 0) return bad;
  return solve_triangular(a, b, n, k, true);  // U x = L^-1 P b
}

void slogdet(double* a, int64_t n, double* sign, double* logabsdet) {
  int64_t swaps = 0;
  if (lu(a, n, nullptr, 0, &swaps) >= 0) {
    *sign = 0;
    *logabsdet = -INFINITY;
    return;
  }
  double sg = swaps % 2 ? -1.0 : 1.0, la = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (a[i * n + i] < 0) sg = -sg;
    la += std::log(std::fabs(a[i * n + i]));
  }
  *sign = sg;
  *logabsdet = la;
}

// Sorts w ascending (descending when `desc`) and the columns of x [rows, n] with it.
void sort_columns(double* w, double* x, int64_t rows, int64_t n, bool desc) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t p, int64_t q) { return desc ? w[p] > w[q] : w[p] < w[q]; });
  std::vector<double> w2(w, w + n), x2(x, x + rows * n);
  for (int64_t j = 0; j < n; ++j) {
    w[j] = w2[order[j]];
    for (int64_t i = 0; i < rows; ++i) x[i * n + j] = x2[i * n + order[j]];
  }
}

int64_t eigh(double* a, int64_t n, double* w, double* v) {
  for (int64_t i = 0; i < n; ++i)  // the lower triangle is the matrix
    for (int64_t j = i + 1; j < n; ++j) a[i * n + j] = a[j * n + i];
  for (int64_t i = 0; i < n * n; ++i) v[i] = 0;
  for (int64_t i = 0; i < n; ++i) v[i * n + i] = 1;
  bool converged = n < 2;
  for (int sweep = 0; sweep < 100 && !converged; ++sweep) {
    double off = 0, total = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) {
        total += a[i * n + j] * a[i * n + j];
        if (i != j) off += a[i * n + j] * a[i * n + j];
      }
    if (off <= kEps * kEps * total) {
      converged = true;
      break;
    }
    for (int64_t p = 0; p < n; ++p)
      for (int64_t q = p + 1; q < n; ++q) {
        double apq = a[p * n + q];
        if (apq == 0) continue;
        // The rotation that zeroes a[p][q]: t = tan(theta), the smaller root (stable).
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int64_t k = 0; k < n; ++k) {  // A <- A J (columns p, q)
          double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (int64_t k = 0; k < n; ++k) {  // A <- J^T A (rows p, q)
          double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (int64_t k = 0; k < n; ++k) {  // V <- V J
          double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  if (!converged) return 0;
  for (int64_t i = 0; i < n; ++i) w[i] = a[i * n + i];
  sort_columns(w, v, n, n, false);
  return -1;
}

// One-sided Jacobi on the columns of g [rows, cols] (cols <= rows), rotating `vr` [cols, cols]
// along: afterwards g's columns are orthogonal, g = A V. Returns whether it converged.
bool orthogonalize_columns(double* g, int64_t rows, int64_t cols, double* vr) {
  for (int64_t i = 0; i < cols * cols; ++i) vr[i] = 0;
  for (int64_t i = 0; i < cols; ++i) vr[i * cols + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    bool rotated = false;
    for (int64_t p = 0; p < cols; ++p)
      for (int64_t q = p + 1; q < cols; ++q) {
        double alpha = 0, beta = 0, gamma = 0;
        for (int64_t i = 0; i < rows; ++i) {
          alpha += g[i * cols + p] * g[i * cols + p];
          beta += g[i * cols + q] * g[i * cols + q];
          gamma += g[i * cols + p] * g[i * cols + q];
        }
        if (gamma == 0 || std::fabs(gamma) <= kEps * std::sqrt(alpha * beta)) continue;
        rotated = true;
        double zeta = (beta - alpha) / (2 * gamma);
        double t = (zeta >= 0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        double c = 1 / std::sqrt(1 + t * t), s = c * t;
        for (int64_t i = 0; i < rows; ++i) {
          double x = g[i * cols + p], y = g[i * cols + q];
          g[i * cols + p] = c * x - s * y;
          g[i * cols + q] = s * x + c * y;
        }
        for (int64_t i = 0; i < cols; ++i) {
          double x = vr[i * cols + p], y = vr[i * cols + q];
          vr[i * cols + p] = c * x - s * y;
          vr[i * cols + q] = s * x + c * y;
        }
      }
    if (!rotated) return true;
  }
  return false;
}

// Fills the columns j of q [rows, k] with s[j] == 0 by an orthonormal completion (Gram-Schmidt
// on the unit vectors), so that U keeps orthonormal columns for a rank-deficient A.
void complete_columns(double* q, int64_t rows, int64_t k, const double* s) {
  int64_t e = 0;
  for (int64_t j = 0; j < k; ++j) {
    if (s[j] > 0) continue;
    for (; e < rows; ++e) {
      std::vector<double> x(static_cast<size_t>(rows), 0.0);
      x[e] = 1;
      for (int64_t c = 0; c < k; ++c) {
        if (c == j || (s[c] == 0 && c > j)) continue;
        double d = 0;
        for (int64_t i = 0; i < rows; ++i) d += q[i * k + c] * x[i];
        for (int64_t i = 0; i < rows; ++i) x[i] -= d * q[i * k + c];
      }
      double norm = 0;
      for (int64_t i = 0; i < rows; ++i) norm += x[i] * x[i];
      if (norm < 0.25) continue;  // e_e nearly in the span already: try the next one
      for (int64_t i = 0; i < rows; ++i) q[i * k + j] = x[i] / std::sqrt(norm);
      ++e;
      break;
    }
  }
}

int64_t svd(double* a, int64_t m, int64_t n, double* s, double* u, double* vt) {
  // Work on G = A (m >= n) or G = A^T (m < n): G [rows, k]. Jacobi makes G V = Q diag(s).
  const bool wide = m < n;
  const int64_t rows = wide ? n : m, k = wide ? m : n;
  std::vector<double> g(static_cast<size_t>(rows * k)), vr(static_cast<size_t>(k * k));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) (wide ? g[j * k + i] : g[i * k + j]) = a[i * n + j];
  if (!orthogonalize_columns(g.data(), rows, k, vr.data())) return 0;
  std::vector<double> norm(static_cast<size_t>(k));
  double top = 0;
  for (int64_t j = 0; j < k; ++j) {
    double acc = 0;
    for (int64_t i = 0; i < rows; ++i) acc += g[i * k + j] * g[i * k + j];
    norm[j] = std::sqrt(acc);
    top = std::max(top, norm[j]);
  }
  std::vector<int64_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t p, int64_t q) { return norm[p] > norm[q]; });
  std::vector<double> q(static_cast<size_t>(rows * k)), v(static_cast<size_t>(k * k));
  for (int64_t j = 0; j < k; ++j) {
    int64_t src = order[j];
    // A column at rounding level of the largest is a zero singular value: its direction is noise.
    s[j] = norm[src] <= kEps * static_cast<double>(rows) * top ? 0.0 : norm[src];
    for (int64_t i = 0; i < rows; ++i) q[i * k + j] = s[j] > 0 ? g[i * k + src] / s[j] : 0.0;
    for (int64_t i = 0; i < k; ++i) v[i * k + j] = vr[i * k + src];
  }
  complete_columns(q.data(), rows, k, s);
  // A = Q S V^T (tall) or A = V S Q^T (wide).
  const double* left = wide ? v.data() : q.data();   // [m, k]
  const double* right = wide ? q.data() : v.data();  // [n, k]
  for (int64_t i = 0; i < m * k; ++i) u[i] = left[i];
  for (int64_t j = 0; j < k; ++j)
    for (int64_t c = 0; c < n; ++c) vt[j * n + c] = right[c * k + j];
  return -1;
}

void qr(double* a, int64_t m, int64_t n, double* q, double* r) {
  const int64_t k = std::min(m, n);
  // Householder: H_j = I - 2 h h^T / (h^T h) zeroes column j below the diagonal; a becomes R.
  std::vector<double> hs(static_cast<size_t>(m * k), 0.0);
  for (int64_t j = 0; j < k; ++j) {
    double norm = 0;
    for (int64_t i = j; i < m; ++i) norm += a[i * n + j] * a[i * n + j];
    norm = std::sqrt(norm);
    double* h = &hs[j * m];
    if (norm == 0) continue;
    double alpha = a[j * n + j] > 0 ? -norm : norm;  // away from a_jj: no cancellation
    for (int64_t i = j; i < m; ++i) h[i] = a[i * n + j];
    h[j] -= alpha;
    double hh = 0;
    for (int64_t i = j; i < m; ++i) hh += h[i] * h[i];
    if (hh == 0) continue;
    for (int64_t c = j; c < n; ++c) {
      double d = 0;
      for (int64_t i = j; i < m; ++i) d += h[i] * a[i * n + c];
      d *= 2 / hh;
      for (int64_t i = j; i < m; ++i) a[i * n + c] -= d * h[i];
    }
  }
  for (int64_t i = 0; i < k; ++i)
    for (int64_t c = 0; c < n; ++c) r[i * n + c] = c < i ? 0.0 : a[i * n + c];
  // Q = H_0 ... H_{k-1} applied to the first k columns of I, last reflector first.
  for (int64_t i = 0; i < m; ++i)
    for (int64_t c = 0; c < k; ++c) q[i * k + c] = i == c ? 1.0 : 0.0;
  for (int64_t j = k - 1; j >= 0; --j) {
    const double* h = &hs[j * m];
    double hh = 0;
    for (int64_t i = j; i < m; ++i) hh += h[i] * h[i];
    if (hh == 0) continue;
    for (int64_t c = 0; c < k; ++c) {
      double d = 0;
      for (int64_t i = j; i < m; ++i) d += h[i] * q[i * k + c];
      d *= 2 / hh;
      for (int64_t i = j; i < m; ++i) q[i * k + c] -= d * h[i];
    }
  }
}

const lathe_linalg::Solvers kSolvers = {cholesky, solve_triangular, solve, slogdet,
                                        eigh,     svd,              qr};

}  // namespace

int32_t linalg_supports(int32_t device, const lathe_fused_call* call) {
  return device == 0 && (lathe_linalg::supports(call) || fft_supports(call));
}

lathe_status linalg_run(int32_t device, const lathe_fused_call* call) {
  if (device == 0 && fft_supports(call)) return fft_run(call);
  if (device != 0 || !lathe_linalg::supports(call))
    return lathe_checks::fail(LATHE_ERR_UNSUPPORTED, "reference: no kernel '%s' for this call",
                              call->op);
  return lathe_linalg::run(kSolvers, call, [](lathe_status st, const char* fmt, auto... args) {
    return lathe_checks::fail(st, fmt, args...);
  });
}

}  // namespace lathe_reference
