// The spline fits of the B-spline KAN, run without gradient: curve2coeff (least-squares
// coefficients of given curves, used by the initialization and the grid update) and
// update_grid (a data-adaptive grid, then a refit of the spline weights on it).
//
// update_grid, for every input feature i with the batch sorted, xs [N]:
//   step      = (xs[N-1] - xs[0] + 2 margin) / G
//   uniform_j = j step + xs[0] - margin,  adaptive_j = xs[floor(j (N - 1) / G)],  j = 0..G
//   knot_j    = grid_eps uniform_j + (1 - grid_eps) adaptive_j, extended by k uniform steps on
//               each side -> G + 2k + 1 knots; grid_eps > 0 keeps them strictly increasing even
//               when the batch repeats values (degenerate quantiles).
// then the spline weights are refitted (kan_curve2coeff) so that the new splines match the old
// ones on the batch.
//
// Checked against Blealtan/efficient-kan src/efficient_kan/kan.py (update_grid, curve2coeff,
// reset_parameters; commit 7b6ce1c), justinhxy/ITFC Triple_ver3.0/kan.py (the same code), and
// KindXiaoming/pykan kan/KANLayer.py (update_grid_from_samples) + kan/spline.py (curve2coef:
// torch.linalg.lstsq, its ridge variant commented out; commit ecde4ec).
// NOTE: torch.linalg.lstsq's CPU default (LAPACK gelsy) mis-ranks some rank-deficient fits: on a
// batch with repeated values (update_grid_repeated in tests/fixtures/kan/fits.safetensors) it
// returns coefficients with residual 0.26 where an exact fit exists. We return the true minimum-norm solution
// (lstsq.h), which gelsd/gelss/pinv agree with; on full-rank systems all of them agree.
// NOTE: efficient-kan fits the *scaled* spline output and stores it as the unscaled
// spline_weight, so with the standalone scaler (its default) the scaler is applied twice after
// an update; pykan refits the unscaled curves. We follow pykan: the layer computes the same
// function (up to the fit) before and after the update. Both agree when the scaler is disabled.
// NOTE: efficient-kan takes the quantile indices from torch.linspace(0, N - 1, G + 1,
// dtype=int64), whose integer kernel rounds erratically when G does not divide N - 1 (e.g.
// N = 2, G = 7 gives all zeros); floor(j (N - 1) / G) is the exact intent and equal to it
// whenever G divides N - 1.
#include <algorithm>

#include "ops/kan/common.h"
#include "ops/kan/lstsq.h"

namespace lathe {

Tensor kan_curve2coeff(const Tensor& x, const Tensor& y, const Tensor& grid, int64_t k) {
  const char* op = "kan_curve2coeff";
  check_floating(op, "x", x);
  check_floating(op, "y", y);
  check_floating(op, "grid", grid);
  LATHE_CHECK(x.dim() == 2, "[kan_curve2coeff] x must be [N, in], got ", x.shape());
  int64_t n = x.size(0), in = x.size(1);
  LATHE_CHECK(y.dim() == 3 && y.size(0) == n && y.size(1) == in,
              "[kan_curve2coeff] y must be [N = ", n, ", in = ", in, ", out], got ", y.shape());
  LATHE_CHECK(k >= 0 && grid.dim() == 2 && grid.size(0) == in && grid.size(1) >= 2 * k + 2,
              "[kan_curve2coeff] grid must be [in = ", in, ", G + 2k + 1] for k = ", k, ", got ",
              grid.shape());
  int64_t out = y.size(2), coeffs = grid.size(1) - k - 1;
  NoGradGuard no_grad;
  std::vector<double> basis =
      bspline_basis(x.detach().to(DType::f64), grid.detach().to(DType::f64), k)
          .to_vector<double>();                                           // [N, in, C]
  std::vector<double> target = y.to_vector<double>();                      // [N, in, out]
  std::vector<double> coef(static_cast<size_t>(out * in * coeffs));       // [out, in, C]
  std::vector<double> a(static_cast<size_t>(n * coeffs)), b(static_cast<size_t>(n * out));
  for (int64_t i = 0; i < in; ++i) {
    for (int64_t s = 0; s < n; ++s) {
      for (int64_t c = 0; c < coeffs; ++c) a[s * coeffs + c] = basis[(s * in + i) * coeffs + c];
      for (int64_t o = 0; o < out; ++o) b[s * out + o] = target[(s * in + i) * out + o];
    }
    std::vector<double> sol = kan::lstsq_min_norm(a, n, coeffs, b, out);  // [C, out]
    for (int64_t o = 0; o < out; ++o)
      for (int64_t c = 0; c < coeffs; ++c) coef[(o * in + i) * coeffs + c] = sol[c * out + o];
  }
  return from_vector(coef, {out, in, coeffs}, DType::f64, x.device()).to(x.dtype());
}

KanGridUpdate kan_update_grid(const Tensor& x, const Tensor& grid, const Tensor& spline_weight,
                              int64_t k, double grid_eps, double margin) {
  const char* op = "kan_update_grid";
  check_floating(op, "x", x);
  check_floating(op, "grid", grid);
  check_floating(op, "spline_weight", spline_weight);
  LATHE_CHECK(x.dim() == 2 && x.size(0) > 0, "[kan_update_grid] x must be [N > 0, in], got ",
              x.shape());
  int64_t n = x.size(0), in = x.size(1);
  LATHE_CHECK(k >= 0 && grid.dim() == 2 && grid.size(0) == in && grid.size(1) >= 2 * k + 2,
              "[kan_update_grid] grid must be [in = ", in, ", G + 2k + 1] for k = ", k, ", got ",
              grid.shape());
  int64_t knots = grid.size(1), g = knots - 2 * k - 1;
  LATHE_CHECK(spline_weight.dim() == 3 && spline_weight.size(1) == in &&
                  spline_weight.size(2) == g + k,
              "[kan_update_grid] spline_weight must be [out, in = ", in, ", G + k = ", g + k,
              "], got ", spline_weight.shape());
  LATHE_CHECK(grid_eps >= 0 && grid_eps <= 1 && margin >= 0,
              "[kan_update_grid] need 0 <= grid_eps <= 1 and margin >= 0, got ", grid_eps, ", ",
              margin);
  NoGradGuard no_grad;
  Tensor xd = x.detach().to(DType::f64);
  Tensor bases = bspline_basis(xd, grid.detach().to(DType::f64), k);      // [N, in, C]
  Tensor weight = spline_weight.detach().to(DType::f64);                   // [out, in, C]
  Tensor curves = matmul(permute(bases, {1, 0, 2}), permute(weight, {1, 2, 0}));  // [in, N, out]

  std::vector<double> xv = xd.to_vector<double>();                         // [N, in]
  std::vector<double> knot(static_cast<size_t>(in * knots));               // [in, G + 2k + 1]
  std::vector<double> xs(static_cast<size_t>(n));
  for (int64_t i = 0; i < in; ++i) {
    for (int64_t s = 0; s < n; ++s) xs[s] = xv[s * in + i];
    std::sort(xs.begin(), xs.end());
    double step = (xs[n - 1] - xs[0] + 2 * margin) / static_cast<double>(g);
    double* row = &knot[i * knots];
    for (int64_t j = 0; j <= g; ++j) {
      double uniform = static_cast<double>(j) * step + xs[0] - margin;
      double adaptive = xs[j * (n - 1) / g];
      row[k + j] = grid_eps * uniform + (1 - grid_eps) * adaptive;
    }
    for (int64_t r = 1; r <= k; ++r) {
      row[k - r] = row[k] - step * static_cast<double>(r);
      row[k + g + r] = row[k + g] + step * static_cast<double>(r);
    }
  }
  Tensor new_grid = from_vector(knot, {in, knots}, DType::f64, x.device());
  Tensor refit = kan_curve2coeff(xd, permute(curves, {1, 0, 2}), new_grid, k);  // [out, in, C]
  return {new_grid.to(grid.dtype()), refit.to(spline_weight.dtype())};
}

}  // namespace lathe
