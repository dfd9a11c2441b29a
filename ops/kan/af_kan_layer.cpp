// af_kan_layer: the AF-KAN layer (method global_attn, func quad1 by default).
//   f   = (act(x - low) act(high - x))^2                  [B, in, g + k], low/high [g + k] shared
//   f   = (f - min f) / (max f - min f)                   min and max over the whole batch tensor
//   a   = softmax_over_in((f w_attn^T + b_attn) / max(tau, 1))   [B, in, 1]
//   h   = sum_{g+k} f a                                   [B, in]
//   y   = act(LayerNorm(h)) W_base^T                      [B, out], no bias
// method "multistep" replaces the attention by h = f w_attn^T + b_attn. func picks the feature:
// quad1 (x1 x2)^2, quad2 x1 x2 + x1^2 + x2^2, sum x1 + x2, prod x1 x2, sum_prod x1 + x2 + x1 x2,
// cubic1 (x1 + x2)(x1^2 + x2^2), cubic2 (x1 x2)^3, with x1 = act(x - low), x2 = act(high - x).
// Paper: "AF-KAN: Activation Function-Based Kolmogorov-Arnold Networks for Efficient
// Representation Learning" (Ta et al., 2025). Defaults: g = 5, k = 3, act = SiLU, tau init
// sqrt(in), LayerNorm eps 1e-5.
//
// Batch coupling: the min-max (func_norm) runs over the whole [B, in, g + k] tensor, so a row's
// output depends on the other rows (train = eval, but a batch of one differs from a full batch).
// Its gradient reaches the other rows only through the arg-min and arg-max elements.
// NOTE: the reference first divides f by its L2 norm (F.normalize(dim=None)); a positive scale
// cancels exactly in the min-max, so it is left out. Where max f = min f the reference divides
// 0 by 0 (NaN); here the normalized features are 0 with zero gradient.
// Not provided: spatial_attn, local_attn, self_attn, multihead_attn and several methods combined
// (self_attn calls layers the reference never defines; the authors mark local/self/multihead
// attention as slow with memory errors).
//
// Checked against hoangthangta/All-KAN models/af_kan.py (AF_KANLayer: extract_features,
// cal_output, normalize, global_attn, multistep, activation; commit 825c8fb). The reference's
// base_weight_bias is created but never used; it is not an input here.
#include "ops/kan/common.h"

namespace lathe {

namespace {
Tensor af_features(const std::string& func, const Tensor& x1, const Tensor& x2) {
  if (func == "quad1") return pow(x1 * x2, 2.0);
  if (func == "quad2") return x1 * x2 + x1 * x1 + x2 * x2;
  if (func == "sum") return x1 + x2;
  if (func == "prod") return x1 * x2;
  if (func == "sum_prod") return x1 + x2 + x1 * x2;
  if (func == "cubic1") return (x1 + x2) * (x1 * x1 + x2 * x2);
  if (func == "cubic2") return pow(x1 * x2, 3.0);
  LATHE_FAIL("[af_kan_layer] unknown func '", func,
             "' (quad1 | quad2 | sum | prod | sum_prod | cubic1 | cubic2)");
}
}  // namespace

Tensor af_kan_layer(const Tensor& x, const Tensor& low, const Tensor& high,
                    const Tensor& temperature, const Tensor& attn_weight, const Tensor& attn_bias,
                    const Tensor& norm_weight, const Tensor& norm_bias, const Tensor& base_weight,
                    const AFKANOptions& o) {
  const char* op = "af_kan_layer";
  for (auto [name, t] : {std::pair<const char*, const Tensor*>{"x", &x}, {"low", &low},
                         {"high", &high}, {"temperature", &temperature},
                         {"attn_weight", &attn_weight}, {"attn_bias", &attn_bias},
                         {"norm_weight", &norm_weight}, {"norm_bias", &norm_bias},
                         {"base_weight", &base_weight}})
    check_floating(op, name, *t);
  LATHE_CHECK(x.dim() == 2 && x.size(0) > 0 && x.size(1) > 0,
              "[af_kan_layer] x must be [B, in] (the normalization couples the batch), got ",
              x.shape());
  LATHE_CHECK(o.method == "global_attn" || o.method == "multistep",
              "[af_kan_layer] method must be global_attn or multistep, got '", o.method, "'");
  int64_t batch = x.size(0), in = x.size(1);
  LATHE_CHECK(low.dim() == 1 && low.size(0) > 0, "[af_kan_layer] low must be [g + k], got ",
              low.shape());
  int64_t width = low.size(0);
  check_shape(op, "high", high, {width});
  LATHE_CHECK(temperature.numel() == 1 && temperature.dim() <= 1,
              "[af_kan_layer] temperature must be a scalar ([] or [1]), got ", temperature.shape());
  check_shape(op, "attn_weight", attn_weight, {1, width});
  check_shape(op, "attn_bias", attn_bias, {1});
  LATHE_CHECK(base_weight.dim() == 2 && base_weight.size(1) == in,
              "[af_kan_layer] base_weight must be [out, in = ", in, "], got ", base_weight.shape());

  Tensor xe = kan::per_feature(x);                                         // [B, in, 1]
  Tensor f = af_features(o.func, activation(op, o.activation, xe - low),
                         activation(op, o.activation, high - xe));    // [B, in, g + k]
  if (o.func_norm) {
    Tensor lo = min(f);                                                    // []
    Tensor range = max(f) - lo;                                            // []
    Tensor spread = gt(range, 0.0);
    f = where(spread, (f - lo) / where(spread, range, 1.0), 0.0);          // [B, in, g + k]
  }
  Tensor score = linear(f, attn_weight, attn_bias);                        // [B, in, 1]
  Tensor h;
  if (o.method == "global_attn") {
    Tensor attn = softmax(score / clamp(temperature, 1.0), -2);            // [B, in, 1]
    h = sum(f * attn, {-1});                                               // [B, in]
  } else {
    h = reshape(score, {batch, in});                                       // [B, in]
  }
  h = kan::layer_norm_last(op, h, norm_weight, norm_bias);                 // [B, in]
  return linear(activation(op, o.activation, h), base_weight);        // [B, out]
}

LATHE_REGISTER_OPS(af_kan_layer) {
  registry.add(OpDef("af_kan_layer", "kan")
                   .summary("AF-KAN layer: (act(x - low) act(high - x))^2, batch min-max, "
                            "attention over features, LayerNorm, act, linear")
                   .paper("AF-KAN: Activation Function-Based Kolmogorov-Arnold Networks for "
                          "Efficient Representation Learning")
                   .input("x")
                   .input("low")
                   .input("high")
                   .input("temperature")
                   .input("attn_weight")
                   .input("attn_bias")
                   .input("norm_weight")
                   .input("norm_bias")
                   .input("base_weight")
                   .options<AFKANOptions>()
                   .attr("activation", &AFKANOptions::activation, kActivationDoc)
                   .attr("func", &AFKANOptions::func,
                         "quad1 | quad2 | sum | prod | sum_prod | cubic1 | cubic2")
                   .attr("func_norm", &AFKANOptions::func_norm,
                         "whole-batch min-max of the features")
                   .attr("method", &AFKANOptions::method, "global_attn | multistep")
                   .output("y")
                   .run(af_kan_layer));
}

}  // namespace lathe
