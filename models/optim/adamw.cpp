#include "models/optim/adamw.h"

#include "models/optim/adam.h"
#include "ops/ops.h"

namespace lathe::optim {

AdamW::AdamW(std::vector<Tensor> params, double lr, AdamWOptions options)
    : Optimizer("AdamW", std::move(params), lr), options_(options) {
  detail::check_betas(name(), options_.beta1, options_.beta2);
  check_non_negative("eps", options_.eps);
  check_non_negative("weight_decay", options_.weight_decay);
}

void AdamW::set_momentum(double beta1) {
  detail::check_betas(name(), beta1, options_.beta2);
  options_.beta1 = beta1;
}

std::vector<std::string> AdamW::buffer_names() const {
  if (options_.amsgrad) return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  return {"exp_avg", "exp_avg_sq"};
}

void AdamW::update(Tensor& param, const Tensor& grad, ParamState& state) {
  const AdamWOptions& o = options_;
  if (o.weight_decay != 0.0) param.mul_(1.0 - lr() * o.weight_decay);
  param.sub_(detail::adam_direction(param, grad, state.step, state.buffers, lr(), o.beta1, o.beta2,
                                    o.eps, o.amsgrad));
}

}  // namespace lathe::optim
