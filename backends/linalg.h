// The linear-algebra kernels (cholesky, solve_triangular, solve, slogdet, eigh, svd, qr,
// sqrtm_psd) as run_fused calls (backend.h; names in fused_ops.def), shared by the backends that
// compute on the host: this header checks a call, walks its batch, converts f32 to double and
// back, applies the sign conventions and words the errors, so the reference backend (plain
// loops) and the cpu backend (LAPACK) differ only in the `Solvers` they plug in.
//
// Every view is dense row-major (the core passes contiguous tensors); matrices are the last two
// axes, every leading axis is a batch axis (equal extents on inputs and outputs, the core has
// broadcast them). All views share one float dtype (f32 or f64); the math runs in double.
//
//   cholesky          A [.., n, n] -> L [.., n, n]   lower triangle of A read; L has zeros above
//   solve_triangular  A [.., n, n], B [.., n, k] -> X [.., n, k]; attrs {upper}: A X = B, the
//                     other triangle of A is not read
//   solve             A [.., n, n], B [.., n, k] -> X [.., n, k] (LU, partial pivoting)
//   slogdet           A [.., n, n] -> sign [..], logabsdet [..] (sign 0 and -inf when singular)
//   eigh              A [.., n, n] -> w [.., n] ascending, V [.., n, n] (eigenvectors in columns)
//                     lower triangle of A read
//   svd               A [.., m, n] -> S [.., k] descending, U [.., m, k], Vh [.., k, n],
//                     k = min(m, n)
//   qr                A [.., m, n] -> Q [.., m, k], R [.., k, n] (reduced)
//   sqrtm_psd         A [.., n, n] -> S [.., n, n] = V diag(sqrt(max(w, 0))) V^T (lower read)
//
// Sign conventions, so two implementations give the same factors: every eigenvector and every
// left singular vector has its largest entry positive (the first entry within a relative 1e-6
// of the largest in magnitude; Vh's row flips with U's column); R has a non-negative diagonal.
//
// Errors, each LATHE_ERR_INVALID with the batch index: cholesky of a matrix that is not
// positive-definite, solve / solve_triangular with a singular matrix (an exactly zero pivot or
// diagonal entry, LAPACK's criterion), sqrtm_psd with an eigenvalue below
// -100 n eps(dtype) max|w| (smaller negative ones are rounding and count as 0), eigh / svd that
// do not converge.
#ifndef LATHE_BACKENDS_LINALG_H
#define LATHE_BACKENDS_LINALG_H

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "backends/backend.h"
#include "backends/fused_ops.h"

namespace lathe_linalg {

// One matrix at a time, row-major doubles. Each returns -1 on success, else the (0-based) index
// at which the factorization failed (the pivot, the leading minor) or 0 for no convergence.
struct Solvers {
  // a [n, n] in, L out (in place, zeros above the diagonal).
  int64_t (*cholesky)(double* a, int64_t n);
  // a [n, n] (one triangle read), b [n, k] in, x out in place.
  int64_t (*solve_triangular)(const double* a, double* b, int64_t n, int64_t k, bool upper);
  // a [n, n] (overwritten), b [n, k] in, x out in place.
  int64_t (*solve)(double* a, double* b, int64_t n, int64_t k);
  // a [n, n] (overwritten).
  void (*slogdet)(double* a, int64_t n, double* sign, double* logabsdet);
  // a [n, n] (lower read, overwritten), w [n] ascending, v [n, n] eigenvectors in columns.
  int64_t (*eigh)(double* a, int64_t n, double* w, double* v);
  // a [m, n] (overwritten), s [k] descending, u [m, k], vt [k, n].
  int64_t (*svd)(double* a, int64_t m, int64_t n, double* s, double* u, double* vt);
  // a [m, n] (overwritten), q [m, k], r [k, n].
  void (*qr)(double* a, int64_t m, int64_t n, double* q, double* r);
};

inline bool is_linalg(lathe_fused_op op) {
  return op == LATHE_FUSED_CHOLESKY || op == LATHE_FUSED_SOLVE_TRIANGULAR ||
         op == LATHE_FUSED_SOLVE || op == LATHE_FUSED_SLOGDET || op == LATHE_FUSED_EIGH ||
         op == LATHE_FUSED_SVD || op == LATHE_FUSED_QR || op == LATHE_FUSED_SQRTM_PSD;
}

// Inputs and outputs of each kernel.
inline void arity(lathe_fused_op op, int* n_in, int* n_out) {
  *n_in = (op == LATHE_FUSED_SOLVE || op == LATHE_FUSED_SOLVE_TRIANGULAR) ? 2 : 1;
  *n_out = (op == LATHE_FUSED_SVD) ? 3 : (op == LATHE_FUSED_SLOGDET || op == LATHE_FUSED_EIGH ||
                                          op == LATHE_FUSED_QR) ? 2 : 1;
}

inline bool dense(const lathe_view& v) {
  int64_t expect = 1;
  for (int d = v.ndim - 1; d >= 0; --d) {
    if (v.shape[d] != 1 && v.strides[d] != expect) return false;
    expect *= v.shape[d];
  }
  return true;
}

// The product of the extents before the last `trailing` axes.
inline int64_t batch_count(const lathe_view& v, int trailing) {
  int64_t b = 1;
  for (int d = 0; d < v.ndim - trailing; ++d) b *= v.shape[d];
  return b;
}

// Whether the backend takes this call: a linalg kernel of consistent shapes, one float dtype,
// dense views. (Shapes beyond that are the core's business; a mismatch here is declined.)
inline bool supports(const lathe_fused_call* c) {
  lathe_fused_op op = lathe_fused_op_of(c->op);
  if (!is_linalg(op)) return false;
  int n_in = 0, n_out = 0;
  arity(op, &n_in, &n_out);
  if (c->n_inputs != n_in || c->n_outputs != n_out) return false;
  if (op == LATHE_FUSED_SOLVE_TRIANGULAR && c->n_attrs != 1) return false;
  lathe_dtype dt = c->inputs[0].dtype;
  if (dt != LATHE_F32 && dt != LATHE_F64) return false;
  for (int i = 0; i < n_in; ++i)
    if (c->inputs[i].dtype != dt || !dense(c->inputs[i]) || c->inputs[i].ndim < 2) return false;
  for (int i = 0; i < n_out; ++i)
    if (c->outputs[i].dtype != dt || !dense(c->outputs[i])) return false;
  const lathe_view& a = c->inputs[0];
  int64_t m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
  bool square = !(op == LATHE_FUSED_SVD || op == LATHE_FUSED_QR);
  if (square && m != n) return false;
  if (n_in == 2) {
    const lathe_view& b = c->inputs[1];
    if (b.ndim != a.ndim || b.shape[b.ndim - 2] != n) return false;
    if (batch_count(b, 2) != batch_count(a, 2)) return false;
  }
  return true;
}

inline void load(const lathe_view& v, int64_t offset, int64_t count, double* dst) {
  if (v.dtype == LATHE_F32) {
    const float* p = static_cast<const float*>(v.data) + offset;
    for (int64_t i = 0; i < count; ++i) dst[i] = p[i];
  } else {
    const double* p = static_cast<const double*>(v.data) + offset;
    for (int64_t i = 0; i < count; ++i) dst[i] = p[i];
  }
}

inline void store(const lathe_view& v, int64_t offset, int64_t count, const double* src) {
  if (v.dtype == LATHE_F32) {
    float* p = static_cast<float*>(v.data) + offset;
    for (int64_t i = 0; i < count; ++i) p[i] = static_cast<float>(src[i]);
  } else {
    double* p = static_cast<double*>(v.data) + offset;
    for (int64_t i = 0; i < count; ++i) p[i] = src[i];
  }
}

// The row whose entry decides the sign of column j of x [rows, cols]: the first within a
// relative 1e-6 of the largest magnitude (so rounding between implementations does not move it).
inline int64_t sign_row(const double* x, int64_t rows, int64_t cols, int64_t j) {
  double big = 0;
  for (int64_t i = 0; i < rows; ++i) big = std::fmax(big, std::fabs(x[i * cols + j]));
  for (int64_t i = 0; i < rows; ++i)
    if (std::fabs(x[i * cols + j]) >= big * (1 - 1e-6)) return i;
  return 0;
}

// Flips column j of x [rows, cols] (and row j of y [cols, ycols] when given) so that its sign
// row is positive.
inline void fix_column_signs(double* x, int64_t rows, int64_t cols, double* y, int64_t ycols) {
  for (int64_t j = 0; j < cols; ++j) {
    if (x[sign_row(x, rows, cols, j) * cols + j] >= 0) continue;
    for (int64_t i = 0; i < rows; ++i) x[i * cols + j] = -x[i * cols + j];
    if (y)
      for (int64_t c = 0; c < ycols; ++c) y[j * ycols + c] = -y[j * ycols + c];
  }
}

// Runs one linalg call; `fail` records the message (printf-style) and returns its status.
template <typename Fail>
lathe_status run(const Solvers& s, const lathe_fused_call* c, Fail fail) {
  lathe_fused_op op = lathe_fused_op_of(c->op);
  const lathe_view& a = c->inputs[0];
  const int64_t m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1], k = m < n ? m : n;
  const int64_t batches = batch_count(a, 2);
  const int64_t rhs = c->n_inputs == 2 ? c->inputs[1].shape[c->inputs[1].ndim - 1] : 0;
  const double eps = a.dtype == LATHE_F32 ? 1.1920929e-7 : 2.220446049250313e-16;
  std::vector<double> x(static_cast<size_t>(m * n)), b(static_cast<size_t>(n * rhs));
  std::vector<double> w(static_cast<size_t>(n)), v(static_cast<size_t>(n * n));
  std::vector<double> u(static_cast<size_t>(m * k)), vt(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < batches; ++i) {
    load(a, i * m * n, m * n, x.data());
    long long bi = static_cast<long long>(i);
    switch (op) {
      case LATHE_FUSED_CHOLESKY: {
        int64_t bad = s.cholesky(x.data(), n);
        if (bad >= 0)
          return fail(LATHE_ERR_INVALID,
                      "the matrix is not positive-definite (batch %lld: the leading minor of "
                      "order %lld is not positive)", bi, static_cast<long long>(bad + 1));
        store(c->outputs[0], i * n * n, n * n, x.data());
        break;
      }
      case LATHE_FUSED_SOLVE_TRIANGULAR:
      case LATHE_FUSED_SOLVE: {
        load(c->inputs[1], i * n * rhs, n * rhs, b.data());
        int64_t bad = op == LATHE_FUSED_SOLVE
                          ? s.solve(x.data(), b.data(), n, rhs)
                          : s.solve_triangular(x.data(), b.data(), n, rhs, c->attrs[0] != 0);
        if (bad >= 0)
          return fail(LATHE_ERR_INVALID, "the matrix is singular (batch %lld: %s %lld is zero)",
                      bi, op == LATHE_FUSED_SOLVE ? "pivot" : "diagonal entry",
                      static_cast<long long>(bad));
        store(c->outputs[0], i * n * rhs, n * rhs, b.data());
        break;
      }
      case LATHE_FUSED_SLOGDET: {
        double sign = 0, logabs = 0;
        s.slogdet(x.data(), n, &sign, &logabs);
        store(c->outputs[0], i, 1, &sign);
        store(c->outputs[1], i, 1, &logabs);
        break;
      }
      case LATHE_FUSED_EIGH:
      case LATHE_FUSED_SQRTM_PSD: {
        if (s.eigh(x.data(), n, w.data(), v.data()) >= 0)
          return fail(LATHE_ERR_INVALID, "eigenvalues did not converge (batch %lld)", bi);
        fix_column_signs(v.data(), n, n, nullptr, 0);
        if (op == LATHE_FUSED_EIGH) {
          store(c->outputs[0], i * n, n, w.data());
          store(c->outputs[1], i * n * n, n * n, v.data());
          break;
        }
        double big = 0;
        for (int64_t j = 0; j < n; ++j) big = std::fmax(big, std::fabs(w[j]));
        for (int64_t j = 0; j < n; ++j) {
          if (w[j] < -100.0 * static_cast<double>(n) * eps * big)
            return fail(LATHE_ERR_INVALID,
                        "the matrix is not positive semi-definite (batch %lld: eigenvalue %g)",
                        bi, w[j]);
          w[j] = std::sqrt(std::fmax(w[j], 0.0));
        }
        for (int64_t r = 0; r < n; ++r)
          for (int64_t col = 0; col < n; ++col) {
            double acc = 0;
            for (int64_t j = 0; j < n; ++j) acc += v[r * n + j] * w[j] * v[col * n + j];
            x[r * n + col] = acc;
          }
        store(c->outputs[0], i * n * n, n * n, x.data());
        break;
      }
      case LATHE_FUSED_SVD: {
        if (s.svd(x.data(), m, n, w.data(), u.data(), vt.data()) >= 0)
          return fail(LATHE_ERR_INVALID, "singular values did not converge (batch %lld)", bi);
        fix_column_signs(u.data(), m, k, vt.data(), n);
        store(c->outputs[0], i * k, k, w.data());
        store(c->outputs[1], i * m * k, m * k, u.data());
        store(c->outputs[2], i * k * n, k * n, vt.data());
        break;
      }
      case LATHE_FUSED_QR: {
        s.qr(x.data(), m, n, u.data(), vt.data());
        for (int64_t j = 0; j < k; ++j) {
          if (vt[j * n + j] >= 0) continue;
          for (int64_t r = 0; r < m; ++r) u[r * k + j] = -u[r * k + j];
          for (int64_t col = 0; col < n; ++col) vt[j * n + col] = -vt[j * n + col];
        }
        store(c->outputs[0], i * m * k, m * k, u.data());
        store(c->outputs[1], i * k * n, k * n, vt.data());
        break;
      }
      default:
        return fail(LATHE_ERR_UNSUPPORTED, "%s is not a linear-algebra kernel", c->op);
    }
  }
  return LATHE_OK;
}

}  // namespace lathe_linalg

#endif  // LATHE_BACKENDS_LINALG_H
