// Linear algebra on batches of matrices (the last two axes; every leading axis is a batch axis),
// f32 and f64, differentiable to any order where the function is smooth. Names and conventions
// follow torch.linalg; ops/linalg/README.md has the design (kernels, sign conventions, errors,
// repeated eigenvalues) and docs/ops-linalg.md the registry entries.
#pragma once

#include <string>
#include <tuple>
#include <utility>

#include "core/tensor.h"

namespace lathe {

// L with A = L L^T, L lower triangular. Reads sym(A) = (A + A^T) / 2 (torch reads the lower
// triangle: the same for a symmetric A). Throws when A is not positive-definite.
Tensor cholesky(const Tensor& a);
// X with A X = B for a triangular A [.., n, n] (the other triangle is not read), B [.., n, k].
Tensor solve_triangular(const Tensor& a, const Tensor& b, bool upper);
// X with A X = B; B [.., n, k], or [.., n] (a vector per matrix). Batch axes broadcast.
// Throws for a singular A.
Tensor solve(const Tensor& a, const Tensor& b);
Tensor inv(const Tensor& a);
Tensor det(const Tensor& a);
// (sign, log|det|); sign 0 and -inf for a singular A.
std::pair<Tensor, Tensor> slogdet(const Tensor& a);
// (w ascending, V) with sym(A) = V diag(w) V^T; each eigenvector's largest entry is positive.
std::pair<Tensor, Tensor> eigh(const Tensor& a);
Tensor eigvalsh(const Tensor& a);
// Reduced SVD (U [.., m, k], S [.., k] descending, Vh [.., k, n]), k = min(m, n); each column
// of U has its largest entry positive.
std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& a);
Tensor svdvals(const Tensor& a);
// Reduced QR (Q [.., m, k], R [.., k, n]) with diag(R) >= 0.
std::pair<Tensor, Tensor> qr(const Tensor& a);
// ord: "fro", "nuc" (sum of singular values) or "2" (the largest singular value).
Tensor matrix_norm(const Tensor& a, const std::string& ord = "fro");
// Moore-Penrose pseudo-inverse through the SVD; singular values at or below
// max(m, n) eps s_max count as zero (torch.linalg.pinv's default).
Tensor pinv(const Tensor& a);
// The symmetric PSD square root S = V diag(sqrt(w)) V^T of sym(A), S S = A; throws when an
// eigenvalue is clearly negative (below -100 n eps max|w|).
Tensor sqrtm_psd(const Tensor& a);

}  // namespace lathe
