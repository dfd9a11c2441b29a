#include "models/optim/projection.h"

#include <cmath>

#include "ops/ops.h"

namespace lathe::optim::detail {

double project_scale_invariant(const Tensor& param, const Tensor& grad, Tensor& direction,
                               double delta, double wd_ratio, double eps) {
  if (param.dim() <= 1) return 1.0;
  for (int64_t rows : {param.size(0), int64_t{1}}) {
    Shape view{rows, -1};
    Tensor p = param.reshape(view);  // [R, N]
    Tensor g = grad.reshape(view);   // [R, N]
    int64_t n = p.size(1);
    Tensor p_norm = sqrt(sum(p * p, {1}));                                              // [R]
    Tensor g_norm = sqrt(sum(g * g, {1}));                                              // [R]
    Tensor cos = abs(sum(g * p, {1}) / (maximum(g_norm, eps) * maximum(p_norm, eps)));  // [R]
    if (!(max(cos).item() < delta / std::sqrt(static_cast<double>(n)))) continue;
    Tensor p_hat = p / (p_norm + eps).reshape({rows, 1});  // [R, N]
    Tensor d = direction.reshape(view);                    // [R, N]
    Tensor radial = p_hat * sum(p_hat * d, {1}, true);     // [R, N]
    direction.sub_(radial.reshape(direction.shape()));
    return wd_ratio;
  }
  return 1.0;
}

}  // namespace lathe::optim::detail
