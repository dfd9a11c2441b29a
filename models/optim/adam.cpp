#include "models/optim/adam.h"

#include <cmath>

#include "ops/ops.h"

namespace lathe::optim {

namespace detail {

void check_betas(const std::string& name, double beta1, double beta2) {
  LATHE_CHECK(beta1 >= 0.0 && beta1 < 1.0 && beta2 >= 0.0 && beta2 < 1.0, "[", name,
              "] betas must lie in [0, 1), got (", beta1, ", ", beta2, ")");
}

Tensor adam_direction(const Tensor& param, const Tensor& grad, int64_t& step,
                      std::map<std::string, Tensor>& buffers, double lr, double beta1, double beta2,
                      double eps, bool amsgrad) {
  if (buffers.empty()) {
    buffers["exp_avg"] = zeros_like(param);
    buffers["exp_avg_sq"] = zeros_like(param);
    if (amsgrad) buffers["max_exp_avg_sq"] = zeros_like(param);
  }
  step += 1;
  Tensor& m = buffers.at("exp_avg");     // shaped like param
  Tensor& v = buffers.at("exp_avg_sq");  // shaped like param
  m.mul_(beta1).add_(grad * (1.0 - beta1));
  v.mul_(beta2).add_(grad * grad * (1.0 - beta2));
  double t = static_cast<double>(step);
  double bias_correction1 = 1.0 - std::pow(beta1, t);
  double bias_correction2 = 1.0 - std::pow(beta2, t);
  Tensor second = v;
  if (amsgrad) {
    Tensor& v_max = buffers.at("max_exp_avg_sq");
    v_max.copy_(maximum(v_max, v));
    second = v_max;
  }
  Tensor denom = sqrt(second);
  denom.div_(scalar_like(std::sqrt(bias_correction2), denom)).add_(eps);
  Tensor direction = m / denom;
  return direction.mul_(lr / bias_correction1);
}

}  // namespace detail

Adam::Adam(std::vector<Tensor> params, double lr, AdamOptions options)
    : Optimizer("Adam", std::move(params), lr), options_(options) {
  detail::check_betas(name(), options_.beta1, options_.beta2);
  check_non_negative("eps", options_.eps);
  check_non_negative("weight_decay", options_.weight_decay);
}

void Adam::set_momentum(double beta1) {
  detail::check_betas(name(), beta1, options_.beta2);
  options_.beta1 = beta1;
}

std::vector<std::string> Adam::buffer_names() const {
  if (options_.amsgrad) return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  return {"exp_avg", "exp_avg_sq"};
}

void Adam::update(Tensor& param, const Tensor& grad, ParamState& state) {
  const AdamOptions& o = options_;
  Tensor g = o.weight_decay != 0.0 ? grad + param * o.weight_decay : grad;
  param.sub_(detail::adam_direction(param, g, state.step, state.buffers, lr(), o.beta1, o.beta2,
                                    o.eps, o.amsgrad));
}

}  // namespace lathe::optim
