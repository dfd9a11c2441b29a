// relu_kan_layer: a ReLU-KAN layer as All-KAN (the AF-KAN authors' code) runs it.
//   h = LayerNorm(x)                       (optional; affine when norm_weight/norm_bias given)
//   y = flatten(relu_kan_basis(h)) W^T + bias,  W [out, in (g + k)]
// The reference reshapes (not permutes) the bases [B, in, g + k] to [B, 1, g + k, in] and
// applies Conv2d(1, out, (g + k, in)); a kernel covering the whole tensor is exactly this
// linear map with the conv weight viewed as [out, -1] (the reshape only fixes that layout).
// x [..., in] -> [..., out]. Paper: "AF-KAN: Activation Function-Based Kolmogorov-Arnold
// Networks for Efficient Representation Learning". Defaults: g = 5, k = 3, LayerNorm eps 1e-5.
// Edge cases: a constant input row normalizes to 0 (not NaN); a batch of one row is fine.
//
// Checked against hoangthangta/All-KAN models/relu_kan.py (ReLUKANLayer: norm_type='layer'
// default, equal_size_conv, reshape; commit 825c8fb). quiqi/relu_kan's original layer has no
// LayerNorm: layer_norm = false.
#include "ops/kan/common.h"

namespace lathe {

Tensor relu_kan_layer(const Tensor& x, const Tensor& low, const Tensor& high,
                      const Tensor& weight, const Tensor& bias, const Tensor& norm_weight,
                      const Tensor& norm_bias, int64_t g, int64_t k, bool layer_norm) {
  const char* op = "relu_kan_layer";
  check_floating(op, "x", x);
  check_floating(op, "weight", weight);
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() > 0, "[relu_kan_layer] x must be [..., in], got ",
              x.shape());
  LATHE_CHECK(g > 0 && k >= 0, "[relu_kan_layer] need g > 0 and k >= 0, got g = ", g, ", k = ", k);
  int64_t in = x.shape().back(), width = g + k;
  kan::check_phases(op, x, low, high, width);
  LATHE_CHECK(weight.dim() == 2 && weight.size(1) == in * width,
              "[relu_kan_layer] weight must be [out, in * (g + k) = ", in * width, "], got ",
              weight.shape());
  if (bias.defined()) check_shape(op, "bias", bias, {weight.size(0)});
  LATHE_CHECK(layer_norm || (!norm_weight.defined() && !norm_bias.defined()),
              "[relu_kan_layer] norm_weight/norm_bias given with layer_norm = false");
  Tensor h = layer_norm ? kan::layer_norm_last(op, x, norm_weight, norm_bias) : x;  // [..., in]
  Tensor basis = relu_kan_basis(h, low, high, g, k);                       // [..., in, g + k]
  Shape flat = x.shape();
  flat[flat.size() - 1] = in * width;
  return linear(reshape(basis, flat), weight, bias);                       // [..., out]
}

LATHE_REGISTER_OPS(relu_kan_layer) {
  registry.add(OpDef("relu_kan_layer", "kan")
                   .summary("ReLU-KAN layer: LayerNorm -> relu_kan_basis -> linear on the "
                            "flattened bases")
                   .paper("AF-KAN: Activation Function-Based Kolmogorov-Arnold Networks for "
                          "Efficient Representation Learning")
                   .input("x")
                   .input("low")
                   .input("high")
                   .input("weight")
                   .input("bias", Kind::floating, kOptional)
                   .input("norm_weight", Kind::floating, kOptional)
                   .input("norm_bias", Kind::floating, kOptional)
                   .attr("g", 5, "grid size")
                   .attr("k", 3, "order")
                   .attr("layer_norm", true, "LayerNorm (eps 1e-5) over the input features first")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{relu_kan_layer(c.in("x"), c.in("low"), c.in("high"),
                                                   c.in("weight"), c.in("bias"),
                                                   c.in("norm_weight"), c.in("norm_bias"),
                                                   c.i("g"), c.i("k"), c.b("layer_norm"))};
                   }));
}

}  // namespace lathe
