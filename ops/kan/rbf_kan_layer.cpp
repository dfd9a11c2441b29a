// rbf_kan_layer: FastKAN's layer.
//   y = flatten(rbf_basis(LayerNorm(x))) W_spline^T + (act(x) W_base^T + b_base)
// x [..., in], spline_weight [out, in n], base_weight [out, in] and base_bias [out] (optional:
// use_base_update), norm_weight/norm_bias [in] (optional affine of the LayerNorm; layer_norm =
// false skips it, use_layernorm=False) -> [..., out].
// Paper: "Kolmogorov-Arnold Networks are Radial Basis Function Networks" (Li, 2024). Defaults:
// 8 centres on [-2, 2], h = 4 / 7, SiLU, LayerNorm eps 1e-5. The LayerNorm keeps the inputs on
// the grid; without it, inputs far outside leave only the base branch (the bases decay to 0).
//
// Checked against ZiyaoLi/fast-kan fastkan/fastkan.py (FastKANLayer.forward, SplineLinear;
// commit 17b6540).
#include "ops/kan/common.h"

namespace lathe {

Tensor rbf_kan_layer(const Tensor& x, const Tensor& grid, const Tensor& spline_weight,
                     const Tensor& base_weight, const Tensor& base_bias,
                     const Tensor& norm_weight, const Tensor& norm_bias, double denominator,
                     const std::string& base_activation, bool layer_norm) {
  const char* op = "rbf_kan_layer";
  check_floating(op, "x", x);
  check_floating(op, "grid", grid);
  check_floating(op, "spline_weight", spline_weight);
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() > 0, "[rbf_kan_layer] x must be [..., in], got ",
              x.shape());
  int64_t in = x.shape().back();
  LATHE_CHECK(grid.dim() == 1 || (grid.dim() == 2 && grid.size(0) == in),
              "[rbf_kan_layer] grid must be [n] or [in = ", in, ", n], got ", grid.shape());
  int64_t centres = grid.shape().back();
  LATHE_CHECK(spline_weight.dim() == 2 && spline_weight.size(1) == in * centres,
              "[rbf_kan_layer] spline_weight must be [out, in * n = ", in * centres, "], got ",
              spline_weight.shape());
  int64_t out = spline_weight.size(0);
  LATHE_CHECK(base_weight.defined() || !base_bias.defined(),
              "[rbf_kan_layer] base_bias given without base_weight");
  if (base_weight.defined()) check_shape(op, "base_weight", base_weight, {out, in});
  if (base_bias.defined()) check_shape(op, "base_bias", base_bias, {out});
  LATHE_CHECK(layer_norm || (!norm_weight.defined() && !norm_bias.defined()),
              "[rbf_kan_layer] norm_weight/norm_bias given with layer_norm = false");
  LATHE_CHECK(denominator > 0, "[rbf_kan_layer] denominator must be positive, got ", denominator);

  Tensor h = layer_norm ? kan::layer_norm_last(op, x, norm_weight, norm_bias) : x;  // [..., in]
  Tensor basis = rbf_basis(h, grid, denominator);                         // [..., in, n]
  Shape flat = x.shape();
  flat[flat.size() - 1] = in * centres;
  Tensor y = linear(reshape(basis, flat), spline_weight);                 // [..., out]
  if (base_weight.defined())
    y = y + linear(activation(op, base_activation, x), base_weight, base_bias);
  return y;
}

LATHE_REGISTER_OPS(rbf_kan_layer) {
  registry.add(OpDef("rbf_kan_layer", "kan")
                   .summary("FastKAN layer: rbf_basis(LayerNorm(x)) @ W_spline^T "
                            "+ linear(act(x), W_base, b_base)")
                   .paper("Kolmogorov-Arnold Networks are Radial Basis Function Networks")
                   .input("x")
                   .input("grid", Kind::floating, kNoGrad)
                   .input("spline_weight")
                   .input("base_weight", Kind::floating, kOptional)
                   .input("base_bias", Kind::floating, kOptional)
                   .input("norm_weight", Kind::floating, kOptional)
                   .input("norm_bias", Kind::floating, kOptional)
                   .attr("denominator", 4.0 / 7.0, "h of rbf_basis")
                   .attr("base_activation", "silu", kActivationDoc)
                   .attr("layer_norm", true, "LayerNorm (eps 1e-5) before the bases")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{rbf_kan_layer(c.in("x"), c.in("grid"), c.in("spline_weight"),
                                                  c.in("base_weight"), c.in("base_bias"),
                                                  c.in("norm_weight"), c.in("norm_bias"),
                                                  c.f("denominator"), c.s("base_activation"),
                                                  c.b("layer_norm"))};
                   }));
}

}  // namespace lathe
