// kan_linear: efficient-kan's KANLinear, a base branch plus a B-spline branch.
//   y = act(x) W_base^T + flatten(B(x)) flatten(W_spline * scaler[..., None])^T
// x [..., in] (flattened to [N, in] and restored), W_base [out, in], W_spline [out, in, G + k],
// scaler [out, in] (enable_standalone_scale_spline; optional), B = bspline_basis -> [..., out].
// Paper: "ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild Cognitive
// Impairment Conversion Prediction" (KAN([9, 128]) as the clinical-table projection).
// Defaults: k = 3, act = SiLU; the module (models/kan/kan_linear.h) has G = 5 on [-1, 1] and
// efficient-kan's initialization.
//
// Out of grid: the spline bases vanish (bspline_basis), so only the base branch acts there.
// Also here: efficient-kan's regularization loss (a functional of the spline weights that
// stands in for pykan's sample-based L1 + entropy terms).
//
// Checked against Blealtan/efficient-kan src/efficient_kan/kan.py (forward with leading dims,
// scaled_spline_weight, regularization_loss; commit 7b6ce1c) and the catalog's copy
// justinhxy/ITFC Triple_ver3.0/kan.py (commit 8c34e98; same formulas, 2-D inputs only).
// NOTE: efficient-kan's p log p is NaN when an edge's spline weights are all zero; here
// 0 log 0 = 0 (and all-zero weights give loss 0, not NaN).
#include "ops/kan/common.h"

namespace lathe {

Tensor kan_linear(const Tensor& x, const Tensor& grid, const Tensor& base_weight,
                  const Tensor& spline_weight, const Tensor& spline_scaler, int64_t k,
                  const std::string& base_activation) {
  const char* op = "kan_linear";
  check_floating(op, "x", x);
  check_floating(op, "grid", grid);
  check_floating(op, "base_weight", base_weight);
  check_floating(op, "spline_weight", spline_weight);
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() > 0, "[kan_linear] x must be [..., in], got ",
              x.shape());
  LATHE_CHECK(k >= 0, "[kan_linear] spline_order must be >= 0, got ", k);
  int64_t in = x.shape().back();
  LATHE_CHECK(base_weight.dim() == 2 && base_weight.size(1) == in,
              "[kan_linear] base_weight must be [out, in = ", in, "], got ", base_weight.shape());
  int64_t out = base_weight.size(0);
  LATHE_CHECK(grid.dim() == 2 && grid.size(0) == in && grid.size(1) >= 2 &&
                  k <= (grid.size(1) - 2) / 2,  // grid.size(1) >= 2k + 2, without overflow
              "[kan_linear] grid must be [in = ", in, ", G + 2k + 1] with G >= 1 for k = ", k,
              ", got ", grid.shape());
  int64_t coeffs = grid.size(1) - k - 1;                                   // G + k
  check_shape(op, "spline_weight", spline_weight, {out, in, coeffs});
  if (spline_scaler.defined()) {
    check_floating(op, "spline_scaler", spline_scaler);
    check_shape(op, "spline_scaler", spline_scaler, {out, in});
  }

  int64_t n = x.numel() / in;
  Tensor flat = reshape(x, {n, in});                                       // [N, in]
  Tensor base = linear(activation(op, base_activation, flat), base_weight);  // [N, out]
  Tensor w = spline_scaler.defined() ? spline_weight * unsqueeze(spline_scaler, -1)
                                     : spline_weight;                      // [out, in, G + k]
  Tensor bases = reshape(bspline_basis(flat, grid, k), {n, in * coeffs});  // [N, in (G + k)]
  Tensor spline = linear(bases, reshape(w, {out, in * coeffs}));           // [N, out]
  Shape shape = x.shape();
  shape[shape.size() - 1] = out;
  return reshape(base + spline, shape);                                    // [..., out]
}

Tensor kan_regularization_loss(const Tensor& spline_weight, double regularize_activation,
                               double regularize_entropy) {
  check_floating("kan_regularization_loss", "spline_weight", spline_weight);
  LATHE_CHECK(spline_weight.dim() == 3, "[kan_regularization_loss] spline_weight must be "
              "[out, in, G + k], got ", spline_weight.shape());
  Tensor l1 = mean(abs(spline_weight), {-1});                              // [out, in]
  Tensor total = sum(l1);                                                  // []
  Tensor p = l1 / where(gt(total, 0.0), total, 1.0);                       // [out, in]
  Tensor plogp = p * log(where(gt(p, 0.0), p, 1.0));                       // 0 log 0 = 0
  return regularize_activation * total - regularize_entropy * sum(plogp);
}

LATHE_REGISTER_OPS(kan_linear) {
  registry.add(OpDef("kan_linear", "kan")
                   .summary("efficient-kan KANLinear: act(x) W_base^T + B(x) (W_spline * scaler)^T")
                   .paper("ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild "
                          "Cognitive Impairment Conversion Prediction")
                   .input("x")
                   .input("grid", Kind::floating, kNoGrad)
                   .input("base_weight")
                   .input("spline_weight")
                   .input("spline_scaler", Kind::floating, kOptional)
                   .attr("spline_order", 3, "k")
                   .attr("base_activation", "silu", kActivationDoc)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{kan_linear(c.in("x"), c.in("grid"), c.in("base_weight"),
                                               c.in("spline_weight"), c.in("spline_scaler"),
                                               c.i("spline_order"), c.s("base_activation"))};
                   }));
}

}  // namespace lathe
