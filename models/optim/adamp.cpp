#include "models/optim/adamp.h"

#include <cmath>

#include "models/optim/adam.h"
#include "models/optim/projection.h"
#include "ops/ops.h"

namespace lathe::optim {

AdamP::AdamP(std::vector<Tensor> params, double lr, AdamPOptions options)
    : Optimizer("AdamP", std::move(params), lr), options_(options) {
  detail::check_betas(name(), options_.beta1, options_.beta2);
  check_non_negative("eps", options_.eps);
  check_non_negative("weight_decay", options_.weight_decay);
  check_non_negative("delta", options_.delta);
  check_non_negative("wd_ratio", options_.wd_ratio);
}

void AdamP::set_momentum(double beta1) {
  detail::check_betas(name(), beta1, options_.beta2);
  options_.beta1 = beta1;
}

void AdamP::update(Tensor& param, const Tensor& grad, ParamState& state) {
  const AdamPOptions& o = options_;
  if (state.buffers.empty()) {
    state.buffers["exp_avg"] = zeros_like(param);
    state.buffers["exp_avg_sq"] = zeros_like(param);
  }
  state.step += 1;
  Tensor& m = state.buffers.at("exp_avg");     // shaped like param
  Tensor& v = state.buffers.at("exp_avg_sq");  // shaped like param
  m.mul_(o.beta1).add_(grad * (1.0 - o.beta1));
  v.mul_(o.beta2).add_(grad * grad * (1.0 - o.beta2));
  double t = static_cast<double>(state.step);
  double bias_correction1 = 1.0 - std::pow(o.beta1, t);
  double bias_correction2 = 1.0 - std::pow(o.beta2, t);

  Tensor denom = sqrt(v);
  denom.div_(scalar_like(std::sqrt(bias_correction2), denom)).add_(o.eps);
  Tensor direction = o.nesterov ? (m * o.beta1 + grad * (1.0 - o.beta1)) / denom : m / denom;
  double factor =
      detail::project_scale_invariant(param, grad, direction, o.delta, o.wd_ratio, o.eps);
  if (o.weight_decay > 0.0) param.mul_(1.0 - lr() * o.weight_decay * factor);
  param.sub_(direction.mul_(lr() / bias_correction1));
}

}  // namespace lathe::optim
