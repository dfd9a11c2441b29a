// FastKANLayer: ZiyaoLi/fast-kan fastkan/fastkan.py (FastKANLayer, RadialBasisFunction,
// SplineLinear; commit 17b6540) over ops/kan/rbf_kan_layer.cpp.
#include "core/grad_mode.h"
#include "core/random.h"
#include "models/kan/kan.h"
#include "ops/kan/common.h"

namespace lathe::nn {

RBFGrid::RBFGrid(double grid_min, double grid_max, int64_t num_grids, DType dtype, Device device)
    : denominator((grid_max - grid_min) / static_cast<double>(num_grids - 1)) {
  LATHE_CHECK(num_grids >= 2 && grid_max > grid_min, "[FastKANLayer] need num_grids >= 2 and "
              "grid_max > grid_min, got ", num_grids, " on [", grid_min, ", ", grid_max, "]");
  Tensor steps = arange(0.0, static_cast<double>(num_grids), 1.0, DType::f64, device);
  grid = add_buffer("grid", (steps * denominator + grid_min).to(dtype));
}

FastKANLayer::FastKANLayer(int64_t in, int64_t out, FastKANOptions o)
    : base_activation(o.base_activation) {
  LATHE_CHECK(in > 0 && out > 0, "[FastKANLayer] features must be positive, got ", in, " -> ",
              out);
  LATHE_CHECK(!o.use_layernorm || in > 1, "[FastKANLayer] a LayerNorm over one input feature "
              "is constant: set use_layernorm = false");
  check_activation("FastKANLayer", base_activation);
  if (o.use_layernorm)
    layernorm = add_module("layernorm", std::make_shared<NormAffine>(in, o.dtype, o.device));
  rbf = add_module("rbf", std::make_shared<RBFGrid>(o.grid_min, o.grid_max, o.num_grids, o.dtype,
                                                    o.device));
  spline_linear = add_module("spline_linear",
                             std::make_shared<Linear>(in * o.num_grids, out, false, o.dtype,
                                                      o.device));
  {
    NoGradGuard no_grad;
    spline_linear->weight.copy_(normal(spline_linear->weight.shape(), 0.0,
                                       o.spline_weight_init_scale, o.dtype, o.device));
  }
  if (o.use_base_update)
    base_linear = add_module("base_linear",
                             std::make_shared<Linear>(in, out, true, o.dtype, o.device));
}

Tensor FastKANLayer::forward(const Tensor& x) {
  return rbf_kan_layer(x, rbf->grid, spline_linear->weight,
                       base_linear ? base_linear->weight : Tensor(),
                       base_linear ? base_linear->bias : Tensor(),
                       layernorm ? layernorm->weight : Tensor(),
                       layernorm ? layernorm->bias : Tensor(), rbf->denominator, base_activation,
                       layernorm != nullptr);
}

}  // namespace lathe::nn
