#include "models/optim/sgd.h"

#include "ops/ops.h"

namespace lathe::optim {

SGD::SGD(std::vector<Tensor> params, double lr, SGDOptions options)
    : Optimizer("SGD", std::move(params), lr), options_(options) {
  check_non_negative("momentum", options_.momentum);
  check_non_negative("weight_decay", options_.weight_decay);
  check_nesterov();
}

void SGD::check_nesterov() const {
  LATHE_CHECK(!options_.nesterov || (options_.momentum > 0.0 && options_.dampening == 0.0),
              "[SGD] Nesterov momentum requires momentum > 0 and dampening = 0, got momentum ",
              options_.momentum, ", dampening ", options_.dampening);
}

void SGD::set_momentum(double momentum) {
  check_non_negative("momentum", momentum);
  LATHE_CHECK(!options_.nesterov || momentum > 0.0,
              "[SGD] Nesterov momentum requires momentum > 0, got ", momentum);
  options_.momentum = momentum;
}

void SGD::update(Tensor& param, const Tensor& grad, ParamState& state) {
  const SGDOptions& o = options_;
  Tensor d = o.weight_decay != 0.0 ? grad + param * o.weight_decay : grad;
  if (o.momentum != 0.0) {
    auto it = state.buffers.find("momentum_buffer");
    if (it == state.buffers.end()) {
      it = state.buffers.emplace("momentum_buffer", d.clone()).first;
    } else {
      it->second.mul_(o.momentum).add_(d * (1.0 - o.dampening));
    }
    d = o.nesterov ? d + it->second * o.momentum : it->second;
  }
  param.sub_(d * lr());
}

}  // namespace lathe::optim
