// Minimum-norm linear least squares on the host, for the KAN spline fits (initialization and
// grid update) that run without gradient.
//
// X = argmin ||A X - B||_F, and among the minimizers the one of least norm, as
// torch.linalg.lstsq (LAPACK gelsy, the CPU default efficient-kan and pykan call) returns for
// the over-, under- and rank-deficient systems these fits produce: the spline initialization
// fits G + k coefficients to G + 1 points (underdetermined), a grid update on a batch with
// repeated values sees repeated rows. No regularization: the references use none.
//
// Method: one-sided Jacobi SVD (Hestenes). Rotations orthogonalize the columns of A, so that
// A V = U S with U's columns orthogonal; then X = V S^+ U^T B. Singular values at or below
// rcond * s_max count as zero, with rcond = eps * max(m, n) (LAPACK's and PyTorch's default).
// Jacobi works on A itself (not on A^T A, which would square the condition number) and needs
// no pivoting; the matrices here are small (G + k columns).
#pragma once

#include <cstdint>
#include <vector>

namespace lathe::kan {

// A [m, n] and B [m, r], row-major doubles; returns X [n, r] row-major.
std::vector<double> lstsq_min_norm(const std::vector<double>& a, int64_t m, int64_t n,
                                   const std::vector<double>& b, int64_t r);

}  // namespace lathe::kan
