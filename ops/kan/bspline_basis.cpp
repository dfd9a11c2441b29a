// bspline_basis: B-spline bases of order k on per-feature knot grids (Cox-de Boor).
//   B^0_j(x) = 1[g_j <= x < g_{j+1}]
//   B^p_j(x) = (x - g_j) / (g_{j+p} - g_j) B^{p-1}_j(x)
//            + (g_{j+p+1} - x) / (g_{j+p+1} - g_{j+1}) B^{p-1}_{j+1}(x),   p = 1..k
// x [..., in], grid [in, G + 2k + 1] -> [..., in, G + k].
// Paper: "ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild Cognitive
// Impairment Conversion Prediction" (its clinical-table projection is efficient-kan's KANLinear).
// Defaults: k = 3; kan_grid: G = 5 on [-1, 1], grid = arange(-k, G + k + 1) h + lo, h = 2 / G.
//
// Out of grid: the half-open indicators make every basis 0 for x < grid[:, 0] or
// x >= grid[:, -1] (also at exactly the last knot); the gradient there is 0 too. Within
// [grid[:, k], grid[:, -k-1]) (= [lo, hi) for kan_grid) the bases sum to 1.
// Repeated knots: a zero-width divided difference multiplies a basis that is identically 0, so
// its 1/0 is replaced by 1/1 (the usual 0/0 = 0 convention); efficient-kan's grids are strictly
// increasing, where this changes nothing. No NaN for any finite x, however large (efficient-kan's
// gradient turns NaN once its polynomial pieces overflow, e.g. at x = 1e200).
// Gradient: with respect to x through the polynomial pieces (the indicators are constant). The
// grid is a buffer (not differentiated by the registry entry).
//
// Fused kernel (optional, f32/f64): "bspline_basis": in x (contiguous, [..., in]), grid
// [in, m]; out bases [..., in, m - k - 1]; attrs {k}. The cpu kernel runs the recursion above
// on whole rows, several x side by side in SIMD lanes. Its backward is the closed form
//   dB^k_j/dx = k B^{k-1}_j / (g_{j+k} - g_j) - k B^{k-1}_{j+1} / (g_{j+k+1} - g_{j+1})
// written with bspline_basis of order k - 1 (fused again), so no composite tower is kept for
// backward and double backward follows from the same rule.
//
// Checked against Blealtan/efficient-kan src/efficient_kan/kan.py (KANLinear.__init__ grid,
// b_splines; commit 7b6ce1c); the catalog's justinhxy/ITFC copy, Triple_ver3.0/kan.py (commit
// 8c34e98; the catalog names Net/kan.py), with the same grid and recursion; and
// KindXiaoming/pykan kan/spline.py (B_batch, commit ecde4ec: same recursion and half-open
// indicators; it maps the NaN of degenerate knot spans to 0 with nan_to_num, as we do).
#include "core/checked.h"
#include "ops/kan/common.h"

namespace lathe {

Tensor kan_grid(int64_t in_features, int64_t grid_size, int64_t spline_order, double lo,
                double hi, DType dtype, Device device) {
  LATHE_CHECK(in_features > 0 && grid_size > 0 && spline_order >= 0 && hi > lo,
              "[kan_grid] need in_features > 0, grid_size > 0, spline_order >= 0 and hi > lo, got ",
              in_features, ", ", grid_size, ", ", spline_order, ", [", lo, ", ", hi, "]");
  int64_t knots_end = checked_add(checked_add(grid_size, spline_order, "kan_grid"), 1, "kan_grid");
  double h = (hi - lo) / static_cast<double>(grid_size);
  Tensor knots = arange(static_cast<double>(-spline_order),
                        static_cast<double>(knots_end), 1.0, DType::f64,
                        device) * h + lo;                                  // [G + 2k + 1]
  return expand(unsqueeze(knots, 0), {in_features, knots.size(0)}).to(dtype).clone();
}

namespace {
// A knot difference that is not positive only ever multiplies an all-zero basis: divide by 1.
Tensor safe_width(const Tensor& d) { return where(gt(d, 0.0), d, 1.0); }

// x's gradient given the gradient g [..., in, m - k - 1] of the bases (the closed form above).
Tensor bspline_basis_grad(const Tensor& g, const Tensor& x, const Tensor& grid, int64_t k) {
  if (k == 0) return zeros_like(x.detach());  // piecewise constant
  int64_t m = grid.size(1);
  Tensor lower = bspline_basis(x, grid, k - 1);                            // [..., in, m - k]
  Tensor coef = double(k) / safe_width(slice(grid, 1, k, m) - slice(grid, 1, 0, m - k));
  Tensor d = lower * coef;                                                 // [..., in, m - k]
  Tensor db = slice(d, -1, 0, m - k - 1) - slice(d, -1, 1, m - k);         // [..., in, m - k - 1]
  return sum(g * db, {-1});                                                // [..., in]
}
}  // namespace

Tensor bspline_basis(const Tensor& x, const Tensor& grid, int64_t k) {
  check_floating("bspline_basis", "x", x);
  check_floating("bspline_basis", "grid", grid);
  LATHE_CHECK(x.dim() >= 1, "[bspline_basis] x must be [..., in], got a 0-d tensor");
  int64_t in = x.shape().back();
  LATHE_CHECK(k >= 0, "[bspline_basis] spline_order must be >= 0, got ", k);
  LATHE_CHECK(grid.dim() == 2 && grid.size(0) == in && grid.size(1) >= 2 &&
                  k <= (grid.size(1) - 2) / 2,  // grid.size(1) >= 2k + 2, without overflow
              "[bspline_basis] grid must be [in = ", in, ", G + 2k + 1] with G >= 1 for k = ", k,
              ", got ", grid.shape());
  int64_t m = grid.size(1);                                                // G + 2k + 1
  bool fusable = (x.dtype() == DType::f32 || x.dtype() == DType::f64) && grid.dtype() == x.dtype();
  Shape shape = x.shape();
  shape.push_back(m - k - 1);
  FusedKernel kernel{"bspline_basis", {x, grid}, {{shape, x.dtype()}}, {double(k)}};
  auto composite = [k, m](const std::vector<Tensor>& in) {
    const Tensor &x = in[0], &grid = in[1];
    auto cols = [&grid](int64_t start, int64_t end) { return slice(grid, 1, start, end); };
    Tensor xe = kan::per_feature(x);                                         // [..., in, 1]
    Tensor b = cast(logical_and(ge(xe, cols(0, m - 1)), lt(xe, cols(1, m))), x.dtype());
    // Outside [g_0, g_last) every basis is 0 whatever the polynomial pieces give: evaluate them at
    // g_0 there, so that huge |x| cannot overflow them into inf * 0 = NaN (in the gradient too).
    // NaN inputs stay NaN.
    Tensor keep = logical_or(logical_and(ge(xe, cols(0, 1)), lt(xe, cols(m - 1, m))), ne(xe, xe));
    xe = where(keep, xe, cols(0, 1));                                        // [..., in, 1]
    for (int64_t p = 1; p <= k; ++p) {                                       // b: [..., in, m - p]
      Tensor left = (xe - cols(0, m - p - 1)) / safe_width(cols(p, m - 1) - cols(0, m - p - 1));
      Tensor right = (cols(p + 1, m) - xe) / safe_width(cols(p + 1, m) - cols(1, m - p));
      b = left * slice(b, -1, 0, m - p - 1) + right * slice(b, -1, 1, m - p);
    }
    return std::vector<Tensor>{b};                                          // [..., in, G + k]
  };
  auto rule = [k](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                  const std::vector<Tensor>&) {
    return std::vector<Tensor>{bspline_basis_grad(g[0], in[0], in[1], k), Tensor()};
  };
  return fused_or_composite(kernel, fusable, composite, rule)[0];
}

LATHE_REGISTER_OPS(bspline_basis) {
  registry.add(OpDef("bspline_basis", "kan")
                   .summary("Cox-de Boor B-spline bases on per-feature knots: "
                            "[..., in] -> [..., in, G + k]")
                   .paper("ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild "
                          "Cognitive Impairment Conversion Prediction")
                   .input("x")
                   .input("grid", Kind::floating, kNoGrad)
                   .attr("spline_order", 3, "k")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{bspline_basis(c.in("x"), c.in("grid"), c.i("spline_order"))};
                   }));
}

}  // namespace lathe
