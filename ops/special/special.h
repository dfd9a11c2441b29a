// Special functions, rounding, small index/shape ops and distance/norm reductions (issue 14,
// "primitives II"). The elementwise ones are primitives (ops/prim/<name>.cpp, each with its
// backward rule); the rest are composites in this folder (ops/special/<name>.cpp), with no
// backward code. docs/ops-core.md lists their registry names and attributes.
#pragma once

#include <utility>
#include <vector>

#include "core/tensor.h"

namespace lathe {

// ---- elementwise unary primitives (floating inputs) ----
Tensor log1p(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor sinh(const Tensor& x);
Tensor cosh(const Tensor& x);
Tensor atanh(const Tensor& x);
Tensor asinh(const Tensor& x);
Tensor acosh(const Tensor& x);
Tensor lgamma(const Tensor& x);
Tensor digamma(const Tensor& x);
Tensor polygamma(int64_t n, const Tensor& x);  // n >= 1; the n-th derivative of digamma
Tensor erfinv(const Tensor& x);
// rounding: zero gradient everywhere (PyTorch's convention)
Tensor floor(const Tensor& x);
Tensor ceil(const Tensor& x);
Tensor round(const Tensor& x);  // halves to even
Tensor trunc(const Tensor& x);

// ---- elementwise binary primitives (broadcasting) ----
Tensor atan2(const Tensor& a, const Tensor& b);
Tensor hypot(const Tensor& a, const Tensor& b);

// ---- elementwise composites ----
// log(x / (1 - x)); eps >= 0 clamps x to [eps, 1 - eps] first (zero gradient outside), eps < 0
// is PyTorch's eps=None.
Tensor logit(const Tensor& x, double eps = -1.0);
// x log y, and 0 where x == 0 (also when y is 0 or NaN), as torch.xlogy.
Tensor xlogy(const Tensor& x, const Tensor& y);
// x where mask is false, value where it is true (mask broadcasts to x).
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);

// ---- index and shape ops ----
Tensor flip(const Tensor& x, const Axes& dims);
Tensor roll(const Tensor& x, const std::vector<int64_t>& shifts, const Axes& dims);
// Lower / upper triangle of the last two dims, from `diagonal` (0: main, > 0: above).
Tensor tril(const Tensor& x, int64_t diagonal = 0);
Tensor triu(const Tensor& x, int64_t diagonal = 0);
// torch.diag: a 1-D x becomes a 2-D matrix with x on a diagonal; a 2-D x gives that diagonal.
Tensor diag(const Tensor& x, int64_t diagonal = 0);
// torch.diagonal: the diagonal of dims (dim1, dim2) moved to the last axis (a copy).
Tensor diagonal(const Tensor& x, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);
Tensor repeat_interleave(const Tensor& x, int64_t repeats, int64_t dim);
// Scans along dim. cumprod's gradient is exact at zeros; cummax returns {values, indices}
// with ties going to the later index, as PyTorch.
Tensor cumprod(const Tensor& x, int64_t dim);
std::pair<Tensor, Tensor> cummax(const Tensor& x, int64_t dim);
// {values, indices}: the k-th smallest (k from 1) along dim.
std::pair<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim = -1,
                                   bool keepdim = false);
// {values, indices}: the lower median along dim (element (n - 1) / 2 of the sorted row).
std::pair<Tensor, Tensor> median(const Tensor& x, int64_t dim = -1, bool keepdim = false);
// torch.quantile with linear interpolation, q in [0, 1].
Tensor quantile(const Tensor& x, double q, int64_t dim = -1, bool keepdim = false);

// ---- distances and norms ----
// p-norm distances between the rows of a [..., P, M] and b [..., R, M]: [..., P, R]. p = 2
// through a GEMM; a zero distance passes no gradient (PyTorch's convention).
Tensor cdist(const Tensor& a, const Tensor& b, double p = 2.0);
// The upper triangle (i < j) of cdist(x, x) for x [N, M], row-major: [N (N - 1) / 2].
Tensor pdist(const Tensor& x, double p = 2.0);
// Vector p-norm over dims (empty: all); p = inf is max |x|, p = 0 counts nonzeros, the
// Frobenius norm is p = 2. A zero norm passes no gradient.
Tensor norm(const Tensor& x, double p = 2.0, const Axes& dims = {}, bool keepdim = false);
// sum(a b) / (max(|a|, eps) max(|b|, eps)) along dim (PyTorch 1.13: each norm clamped).
Tensor cosine_similarity(const Tensor& a, const Tensor& b, int64_t dim = 1, double eps = 1e-8);
// x / max(|x|_p, eps) along dim, as F.normalize.
Tensor normalize(const Tensor& x, double p = 2.0, int64_t dim = 1, double eps = 1e-12);
// Variance and standard deviation over dims (empty: all) with sum of squares / (n - correction).
Tensor var(const Tensor& x, const Axes& dims = {}, double correction = 1.0, bool keepdim = false);
Tensor std_dev(const Tensor& x, const Axes& dims = {}, double correction = 1.0,
               bool keepdim = false);

}  // namespace lathe
