#include "models/optim/sgdp.h"

#include "models/optim/projection.h"
#include "ops/ops.h"

namespace lathe::optim {

SGDP::SGDP(std::vector<Tensor> params, double lr, SGDPOptions options)
    : Optimizer("SGDP", std::move(params), lr), options_(options) {
  check_momentum(options_.momentum);
  check_non_negative("weight_decay", options_.weight_decay);
  check_non_negative("eps", options_.eps);
  check_non_negative("delta", options_.delta);
  check_non_negative("wd_ratio", options_.wd_ratio);
}

void SGDP::check_momentum(double momentum) const {
  check_non_negative("momentum", momentum);
  LATHE_CHECK(momentum < 1.0 || options_.weight_decay == 0.0,
              "[SGDP] momentum must be < 1 with weight decay (the decay is divided by "
              "1 - momentum), got ",
              momentum);
}

void SGDP::set_momentum(double momentum) {
  check_momentum(momentum);
  options_.momentum = momentum;
}

void SGDP::update(Tensor& param, const Tensor& grad, ParamState& state) {
  const SGDPOptions& o = options_;
  auto it = state.buffers.find("momentum_buffer");
  if (it == state.buffers.end())
    it = state.buffers.emplace("momentum_buffer", zeros_like(param)).first;
  Tensor& buf = it->second;  // shaped like param
  buf.mul_(o.momentum).add_(grad * (1.0 - o.dampening));
  // Without Nesterov, direction shares buf's storage: the projection projects the buffer too.
  Tensor direction = o.nesterov ? grad + buf * o.momentum : buf;
  double factor =
      detail::project_scale_invariant(param, grad, direction, o.delta, o.wd_ratio, o.eps);
  if (o.weight_decay > 0.0) param.mul_(1.0 - lr() * o.weight_decay * factor / (1.0 - o.momentum));
  param.sub_(direction * lr());
}

}  // namespace lathe::optim
