// The cpu backend's linear algebra: LAPACK through the Fortran symbols that Debian's OpenBLAS
// exports (dpotrf, dtrtrs, dgesv, dgetrf, dsyevd, dgesdd, dgeqrf + dorgqr), in double for both
// float dtypes (f32 inputs gain accuracy; the reference computes in double too). The batching,
// dtypes, sign conventions and errors are backends/linalg.h's. LAPACK is column-major: each
// matrix is transposed on the way in and out (cheap beside the O(n^3) factorizations).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "backends/cpu/cpu.h"
#include "backends/linalg.h"

// Fortran LAPACK; the trailing size_t arguments are the lengths of the character arguments
// (gfortran's calling convention).
extern "C" {
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info, size_t);
void dtrtrs_(const char* uplo, const char* trans, const char* diag, const int* n,
             const int* nrhs, const double* a, const int* lda, double* b, const int* ldb,
             int* info, size_t, size_t, size_t);
void dgesv_(const int* n, const int* nrhs, double* a, const int* lda, int* ipiv, double* b,
            const int* ldb, int* info);
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda,
             double* w, double* work, const int* lwork, int* iwork, const int* liwork, int* info,
             size_t, size_t);
void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s,
             double* u, const int* ldu, double* vt, const int* ldvt, double* work,
             const int* lwork, int* iwork, int* info, size_t);
void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau, double* work,
             const int* lwork, int* info);
void dorgqr_(const int* m, const int* n, const int* k, double* a, const int* lda,
             const double* tau, double* work, const int* lwork, int* info);
}

namespace lathe_cpu {
namespace {

// Row-major [rows, cols] <-> column-major (the same numbers, transposed in memory).
std::vector<double> to_col(const double* x, int64_t rows, int64_t cols) {
  std::vector<double> y(static_cast<size_t>(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) y[j * rows + i] = x[i * cols + j];
  return y;
}

void from_col(const double* y, int64_t rows, int64_t cols, double* x) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) x[i * cols + j] = y[j * rows + i];
}

int64_t cholesky(double* a, int64_t n) {
  // Row-major lower triangle == column-major upper triangle of the transpose: ask for 'U'.
  int nn = static_cast<int>(n), info = 0;
  dpotrf_("U", &nn, a, &nn, &info, 1);
  if (info > 0) return info - 1;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) a[i * n + j] = 0;
  return -1;
}

int64_t solve_triangular(const double* a, double* b, int64_t n, int64_t k, bool upper) {
  for (int64_t i = 0; i < n; ++i)
    if (a[i * n + i] == 0) return i;
  if (n == 0 || k == 0) return -1;
  // Row-major A is column-major A^T: solve A^T^T X = B with trans = 'T' and the triangle
  // swapped.
  std::vector<double> bc = to_col(b, n, k);
  int nn = static_cast<int>(n), kk = static_cast<int>(k), info = 0;
  dtrtrs_(upper ? "L" : "U", "T", "N", &nn, &kk, a, &nn, bc.data(), &nn, &info, 1, 1, 1);
  if (info > 0) return info - 1;
  from_col(bc.data(), n, k, b);
  return -1;
}

int64_t solve(double* a, double* b, int64_t n, int64_t k) {
  if (n == 0) return -1;
  std::vector<double> ac = to_col(a, n, n), bc = to_col(b, n, k);
  std::vector<int> ipiv(static_cast<size_t>(n));
  int nn = static_cast<int>(n), kk = static_cast<int>(k), info = 0;
  dgesv_(&nn, &kk, ac.data(), &nn, ipiv.data(), bc.data(), &nn, &info);
  if (info > 0) return info - 1;
  from_col(bc.data(), n, k, b);
  return -1;
}

void slogdet(double* a, int64_t n, double* sign, double* logabsdet) {
  // det(A^T) = det(A): factor the row-major buffer as it is.
  std::vector<int> ipiv(static_cast<size_t>(std::max<int64_t>(n, 1)));
  int nn = static_cast<int>(n), info = 0;
  if (n > 0) dgetrf_(&nn, &nn, a, &nn, ipiv.data(), &info);
  if (info > 0) {
    *sign = 0;
    *logabsdet = -INFINITY;
    return;
  }
  double sg = 1, la = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (ipiv[i] != i + 1) sg = -sg;
    double d = a[i * n + i];
    if (d < 0) sg = -sg;
    la += std::log(std::fabs(d));
  }
  *sign = sg;
  *logabsdet = la;
}

int64_t eigh(double* a, int64_t n, double* w, double* v) {
  if (n == 0) return -1;
  // The row-major lower triangle is the column-major upper one.
  int nn = static_cast<int>(n), info = 0, lwork = -1, liwork = -1, iwq = 0;
  double wq = 0;
  dsyevd_("V", "U", &nn, a, &nn, w, &wq, &lwork, &iwq, &liwork, &info, 1, 1);
  lwork = static_cast<int>(wq);
  liwork = iwq;
  std::vector<double> work(static_cast<size_t>(std::max(lwork, 1)));
  std::vector<int> iwork(static_cast<size_t>(std::max(liwork, 1)));
  dsyevd_("V", "U", &nn, a, &nn, w, work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
  if (info != 0) return 0;
  from_col(a, n, n, v);  // eigenvectors are the column-major columns
  return -1;
}

int64_t svd(double* a, int64_t m, int64_t n, double* s, double* u, double* vt) {
  const int64_t k = std::min(m, n);
  if (k == 0) return -1;
  std::vector<double> ac = to_col(a, m, n), uc(static_cast<size_t>(m * k)),
      vtc(static_cast<size_t>(k * n));
  std::vector<int> iwork(static_cast<size_t>(8 * k));
  int mm = static_cast<int>(m), nn = static_cast<int>(n), kk = static_cast<int>(k), info = 0;
  int lwork = -1;
  double wq = 0;
  dgesdd_("S", &mm, &nn, ac.data(), &mm, s, uc.data(), &mm, vtc.data(), &kk, &wq, &lwork,
          iwork.data(), &info, 1);
  lwork = static_cast<int>(wq);
  std::vector<double> work(static_cast<size_t>(std::max(lwork, 1)));
  dgesdd_("S", &mm, &nn, ac.data(), &mm, s, uc.data(), &mm, vtc.data(), &kk, work.data(), &lwork,
          iwork.data(), &info, 1);
  if (info != 0) return 0;
  from_col(uc.data(), m, k, u);
  from_col(vtc.data(), k, n, vt);
  return -1;
}

void qr(double* a, int64_t m, int64_t n, double* q, double* r) {
  const int64_t k = std::min(m, n);
  if (k == 0) return;
  std::vector<double> ac = to_col(a, m, n), tau(static_cast<size_t>(k));
  int mm = static_cast<int>(m), nn = static_cast<int>(n), kk = static_cast<int>(k), info = 0;
  int lwork = -1;
  double wq = 0;
  dgeqrf_(&mm, &nn, ac.data(), &mm, tau.data(), &wq, &lwork, &info);
  lwork = std::max(static_cast<int>(wq), 1);
  std::vector<double> work(static_cast<size_t>(lwork));
  dgeqrf_(&mm, &nn, ac.data(), &mm, tau.data(), work.data(), &lwork, &info);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j) r[i * n + j] = j < i ? 0.0 : ac[j * m + i];
  lwork = -1;
  dorgqr_(&mm, &kk, &kk, ac.data(), &mm, tau.data(), &wq, &lwork, &info);
  lwork = std::max(static_cast<int>(wq), 1);
  work.assign(static_cast<size_t>(lwork), 0.0);
  dorgqr_(&mm, &kk, &kk, ac.data(), &mm, tau.data(), work.data(), &lwork, &info);
  from_col(ac.data(), m, k, q);  // the first k columns
}

const lathe_linalg::Solvers kSolvers = {cholesky, solve_triangular, solve, slogdet,
                                        eigh,     svd,              qr};

}  // namespace

bool linalg_supports(const lathe_fused_call* call) { return lathe_linalg::supports(call); }

lathe_status linalg_run(const lathe_fused_call* call) {
  return lathe_linalg::run(kSolvers, call, [](lathe_status st, const char* fmt, auto... args) {
    return fail(st, fmt, args...);
  });
}

}  // namespace lathe_cpu
