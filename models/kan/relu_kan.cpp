// ReLUKANLayer: All-KAN's ReLU-KAN layer (hoangthangta/All-KAN models/relu_kan.py, commit
// 825c8fb) over ops/kan/relu_kan_layer.cpp.
#include "models/kan/kan.h"
#include "ops/ops.h"

namespace lathe::nn {

ReLUKANLayer::ReLUKANLayer(int64_t in, int64_t out, int64_t g_, int64_t k_, bool layer_norm,
                           DType dtype, Device device)
    : g(g_), k(k_) {
  LATHE_CHECK(in > 0 && out > 0 && g > 0 && k >= 0, "[ReLUKANLayer] need positive features, "
              "g > 0 and k >= 0, got ", in, " -> ", out, ", g = ", g, ", k = ", k);
  Tensor low = arange(static_cast<double>(-k), static_cast<double>(g), 1.0, DType::f64, device) /
               static_cast<double>(g);                                    // [g + k]
  Tensor high = low + static_cast<double>(k + 1) / static_cast<double>(g);
  phase_low = add_parameter("phase_low", expand(unsqueeze(low, 0), {in, g + k}).to(dtype).clone());
  phase_high = add_parameter("phase_high",
                             expand(unsqueeze(high, 0), {in, g + k}).to(dtype).clone());
  if (layer_norm) norm = add_module("norm", std::make_shared<NormAffine>(in, dtype, device));
  fc = add_module("fc", std::make_shared<Linear>(in * (g + k), out, true, dtype, device));
}

Tensor ReLUKANLayer::forward(const Tensor& x) {
  return relu_kan_layer(x, phase_low, phase_high, fc->weight, fc->bias,
                        norm ? norm->weight : Tensor(), norm ? norm->bias : Tensor(), g, k,
                        norm != nullptr);
}

}  // namespace lathe::nn
