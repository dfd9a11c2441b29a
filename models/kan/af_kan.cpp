// AFKANLayer: All-KAN's AF-KAN layer (hoangthangta/All-KAN models/af_kan.py, commit 825c8fb)
// over ops/kan/af_kan_layer.cpp.
#include <cmath>

#include "models/kan/common.h"
#include "models/kan/kan.h"
#include "ops/kan/common.h"

namespace lathe::nn {

AFKANLayer::AFKANLayer(int64_t in, int64_t out, int64_t g, int64_t k, AFKANOptions options_,
                       DType dtype, Device device)
    : options(std::move(options_)) {
  LATHE_CHECK(in > 0 && out > 0 && g > 0 && k >= 0, "[AFKANLayer] need positive features, "
              "g > 0 and k >= 0, got ", in, " -> ", out, ", g = ", g, ", k = ", k);
  check_activation("AFKANLayer", options.activation);
  Tensor low = arange(static_cast<double>(-k), static_cast<double>(g), 1.0, DType::f64, device) /
               static_cast<double>(g);                                    // [g + k]
  phase_low = add_parameter("phase_low", low.to(dtype));
  phase_high = add_parameter("phase_high",
                             (low + static_cast<double>(k + 1) / static_cast<double>(g)).to(dtype));
  temperature = add_parameter("temperature",
                              scalar(std::sqrt(static_cast<double>(in)), dtype, device));
  base_weight = add_parameter("base_weight",
                              kaiming_uniform({out, in}, std::sqrt(5.0), in, dtype, device));
  gk_linear = add_module("gk_linear", std::make_shared<Linear>(g + k, 1, true, dtype, device));
  norm = add_module("norm", std::make_shared<NormAffine>(in, dtype, device));
}

Tensor AFKANLayer::forward(const Tensor& x) {
  return af_kan_layer(x, phase_low, phase_high, temperature, gk_linear->weight, gk_linear->bias,
                      norm->weight, norm->bias, base_weight, options);
}

}  // namespace lathe::nn
