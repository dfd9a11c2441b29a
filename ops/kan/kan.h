// The KAN family: Kolmogorov-Arnold Network layers, each a basis expansion of every input
// feature followed by a linear map (efficient-kan's formulation), as composites of the core ops
// (no backward code). README.md in this folder has the formulas, the out-of-grid behaviour, the
// group-rational variants and what was checked against which official repository;
// docs/ops-kan.md lists registry names, inputs and attributes. Module forms: models/kan/.
//
// Base activations are chosen by name wherever a layer has one (kan_linear, af_kan_layer,
// rbf_kan_layer): silu, relu, leaky_relu (slope 0.01), elu, selu, gelu (erf), tanh, sigmoid,
// softplus, with PyTorch's defaults.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

// ---- B-spline KAN (efficient-kan) ----

// The uniform knot grid of efficient-kan: arange(-k, G + k + 1) * h + lo with h = (hi - lo) / G,
// repeated for each input feature -> [in, G + 2k + 1].
Tensor kan_grid(int64_t in_features, int64_t grid_size = 5, int64_t spline_order = 3,
                double lo = -1.0, double hi = 1.0, DType dtype = DType::f32,
                Device device = default_device());

// Cox-de Boor B-spline bases of order k on per-feature knots: x [..., in], grid [in, G + 2k + 1]
// (non-decreasing rows) -> [..., in, G + k]. x outside [grid[:, 0], grid[:, -1]) gets all-zero
// bases, as in efficient-kan.
Tensor bspline_basis(const Tensor& x, const Tensor& grid, int64_t spline_order = 3);

// y = act(x) @ base_weight^T + flatten(B(x)) @ flatten(spline_weight * spline_scaler[..., None])^T
// x [..., in], base_weight [out, in], spline_weight [out, in, G + k], spline_scaler [out, in]
// (undefined: no standalone scaler) -> [..., out]. Outside the grid only the base branch acts.
Tensor kan_linear(const Tensor& x, const Tensor& grid, const Tensor& base_weight,
                  const Tensor& spline_weight, const Tensor& spline_scaler = Tensor(),
                  int64_t spline_order = 3, const std::string& base_activation = "silu");

// Least-squares spline coefficients (efficient-kan's curve2coeff), solved on the host without
// gradient: for every feature i, the minimum-norm c minimizing ||B_i(x) c - y[:, i, :]||.
// x [N, in], y [N, in, out] -> [out, in, G + k] in x's dtype and device.
Tensor kan_curve2coeff(const Tensor& x, const Tensor& y, const Tensor& grid,
                       int64_t spline_order = 3);

// A new grid from the data and the spline weights refitted on it (efficient-kan update_grid),
// without gradient. x [N, in]. The layer's function is kept: the unscaled spline of each edge is
// refitted, so a standalone scaler multiplies the same curve before and after (see README.md).
struct KanGridUpdate {
  Tensor grid;           // [in, G + 2k + 1]
  Tensor spline_weight;  // [out, in, G + k]
};
KanGridUpdate kan_update_grid(const Tensor& x, const Tensor& grid, const Tensor& spline_weight,
                              int64_t spline_order = 3, double grid_eps = 0.02,
                              double margin = 0.01);

// efficient-kan's regularization: l1 = mean_last |spline_weight| [out, in], p = l1 / sum(l1),
// loss = regularize_activation * sum(l1) + regularize_entropy * (-sum(p log p)), 0 log 0 = 0.
Tensor kan_regularization_loss(const Tensor& spline_weight, double regularize_activation = 1.0,
                               double regularize_entropy = 1.0);

// ---- group-rational KAN (Kolmogorov-Arnold Transformer) ----

// F(x) = P(x) / Q(x) per channel group: x [..., D], numerator [G or 1, m + 1] (a_0..a_m),
// denominator [G, n] (b_1..b_n); D splits into G contiguous groups. variant picks Q:
//   "paper"     Q = 1 + |sum_j b_j x^j|          (default)
//   "kernel"    Q = 1 + sum_j |b_j| |x|^j
//   "torch_ref" Q = 1 + sum_j |b_j| x^j         (can vanish: poles, as in the reference)
Tensor group_rational(const Tensor& x, const Tensor& numerator, const Tensor& denominator,
                      const std::string& variant = "paper");

// A GR-KAN layer: linear(group_rational(x), weight, bias). weight [out, D], bias [out] (or
// undefined).
Tensor gr_kan_layer(const Tensor& x, const Tensor& numerator, const Tensor& denominator,
                    const Tensor& weight, const Tensor& bias = Tensor(),
                    const std::string& variant = "paper");

// ---- ReLU-KAN ----

// R_i(x) = (r relu(x - low_i) relu(high_i - x))^2, r = 4 g^2 / (k + 1)^2: x [..., in], low and
// high [in, g + k] or [g + k] -> [..., in, g + k]. 0 (value and gradient) outside
// (low_i, high_i), the ends included.
Tensor relu_kan_basis(const Tensor& x, const Tensor& low, const Tensor& high, int64_t g = 5,
                      int64_t k = 3);

// LayerNorm (optional; affine when norm_weight/norm_bias are given) -> relu_kan_basis ->
// linear on the flattened bases: weight [out, in * (g + k)], bias [out] or undefined.
Tensor relu_kan_layer(const Tensor& x, const Tensor& low, const Tensor& high,
                      const Tensor& weight, const Tensor& bias = Tensor(),
                      const Tensor& norm_weight = Tensor(), const Tensor& norm_bias = Tensor(),
                      int64_t g = 5, int64_t k = 3, bool layer_norm = true);

// ---- AF-KAN ----

struct AFKANOptions {
  std::string activation = "silu";
  std::string func = "quad1";  // quad1 quad2 sum prod sum_prod cubic1 cubic2
  bool func_norm = true;       // whole-batch min-max of the features (batch-coupled)
  std::string method = "global_attn";  // or "multistep"
};

// x [B, in]; low, high [g + k]; temperature [] (or [1]); attn_weight [1, g + k], attn_bias [1];
// norm_weight, norm_bias [in]; base_weight [out, in] -> [B, out]. With func_norm the features
// are min-max normalized over the whole batch (a row's output depends on the others); constant
// features (e.g. relu with every input outside the phases) normalize to 0 (the reference: 0/0).
Tensor af_kan_layer(const Tensor& x, const Tensor& low, const Tensor& high,
                    const Tensor& temperature, const Tensor& attn_weight, const Tensor& attn_bias,
                    const Tensor& norm_weight, const Tensor& norm_bias, const Tensor& base_weight,
                    const AFKANOptions& options = {});

// ---- FastKAN (radial basis functions) ----

// b_i(x) = exp(-((x - grid_i) / denominator)^2): x [..., in], grid [n] or [in, n] ->
// [..., in, n]; far from the centres the bases underflow to exactly 0. The default denominator
// is FastKAN's (2 - (-2)) / (8 - 1).
Tensor rbf_basis(const Tensor& x, const Tensor& grid, double denominator = 4.0 / 7.0);

// LayerNorm (optional) -> rbf_basis -> linear(flatten, spline_weight [out, in * n]), plus
// linear(act(x), base_weight, base_bias) when base_weight is given.
Tensor rbf_kan_layer(const Tensor& x, const Tensor& grid, const Tensor& spline_weight,
                     const Tensor& base_weight = Tensor(), const Tensor& base_bias = Tensor(),
                     const Tensor& norm_weight = Tensor(), const Tensor& norm_bias = Tensor(),
                     double denominator = 4.0 / 7.0, const std::string& base_activation = "silu",
                     bool layer_norm = true);

}  // namespace lathe
