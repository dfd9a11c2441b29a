// KANLinear and KAN: efficient-kan's modules (Blealtan/efficient-kan src/efficient_kan/kan.py,
// commit 7b6ce1c) over ops/kan/kan_linear.cpp and ops/kan/kan_fit.cpp.
#include <cmath>

#include "core/grad_mode.h"
#include "core/random.h"
#include "models/kan/common.h"
#include "models/kan/kan.h"
#include "ops/kan/common.h"

namespace lathe::nn {

KANLinear::KANLinear(int64_t in, int64_t out, KANLinearOptions o) : options_(std::move(o)) {
  LATHE_CHECK(in > 0 && out > 0, "[KANLinear] features must be positive, got ", in, " -> ", out);
  const KANLinearOptions& p = options_;
  int64_t g = p.grid_size, k = p.spline_order;
  grid = add_buffer("grid", kan_grid(in, g, k, p.grid_lo, p.grid_hi, p.dtype, p.device));
  double a_base = std::sqrt(5.0) * p.scale_base, a_spline = std::sqrt(5.0) * p.scale_spline;
  base_weight = add_parameter("base_weight",
                              kaiming_uniform({out, in}, a_base, in, p.dtype, p.device));
  Tensor noise = (rand({g + 1, in, out}, DType::f64, p.device) - 0.5) * p.scale_noise /
                 static_cast<double>(g);                                   // [G + 1, in, out]
  Tensor knots = transpose(slice(grid, 1, k, k + g + 1), 0, 1);           // [G + 1, in]
  Tensor fit = kan_curve2coeff(knots.to(DType::f64), noise, grid, k);     // [out, in, G + k]
  if (!p.enable_standalone_scale_spline) fit = fit * p.scale_spline;
  spline_weight = add_parameter("spline_weight", fit.to(p.dtype));
  if (p.enable_standalone_scale_spline)
    spline_scaler = add_parameter("spline_scaler",
                                  kaiming_uniform({out, in}, a_spline, in, p.dtype, p.device));
  check_activation("KANLinear", p.base_activation);
}

Tensor KANLinear::forward(const Tensor& x) {
  return kan_linear(x, grid, base_weight, spline_weight, spline_scaler, options_.spline_order,
                    options_.base_activation);
}

void KANLinear::update_grid(const Tensor& x, double margin) {
  KanGridUpdate u = kan_update_grid(x, grid, spline_weight, options_.spline_order,
                                    options_.grid_eps, margin);
  NoGradGuard no_grad;
  grid.copy_(u.grid);
  spline_weight.copy_(u.spline_weight);
}

Tensor KANLinear::regularization_loss(double regularize_activation,
                                      double regularize_entropy) const {
  return kan_regularization_loss(spline_weight, regularize_activation, regularize_entropy);
}

KAN::KAN(const std::vector<int64_t>& widths, KANLinearOptions options) {
  LATHE_CHECK(widths.size() >= 2, "[KAN] needs at least two widths (in and out), got ",
              widths.size());
  auto stack = add_module("layers", std::make_shared<Sequential>());
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    layers.push_back(std::make_shared<KANLinear>(widths[i], widths[i + 1], options));
    stack->append(layers.back());
  }
}

Tensor KAN::forward(const Tensor& x) {
  Tensor h = x;
  for (auto& layer : layers) h = (*layer)(h);
  return h;
}

Tensor KAN::update_grid(const Tensor& x, double margin) {
  NoGradGuard no_grad;
  Tensor h = x;
  for (auto& layer : layers) {
    layer->update_grid(h, margin);
    h = layer->forward(h);
  }
  return h;
}

Tensor KAN::regularization_loss(double regularize_activation, double regularize_entropy) const {
  Tensor total;
  for (const auto& layer : layers) {
    Tensor term = layer->regularization_loss(regularize_activation, regularize_entropy);
    total = total.defined() ? total + term : term;
  }
  return total;
}

}  // namespace lathe::nn
