#include "models/optim/normalized_lr_gd.h"

#include <cmath>
#include <limits>

#include "ops/ops.h"

namespace lathe::optim {

NormalizedLRGD::NormalizedLRGD(std::vector<Tensor> params, double lr)
    : Optimizer("NormalizedLRGD", std::move(params), lr),
      loss_(std::numeric_limits<double>::quiet_NaN()) {}

void NormalizedLRGD::set_momentum(double momentum) {
  LATHE_CHECK(momentum == 0.0, "[NormalizedLRGD] has no momentum, got ", momentum);
}

void NormalizedLRGD::step(const Tensor& loss) {
  LATHE_CHECK(loss.defined() && loss.numel() == 1, "[NormalizedLRGD] the loss must hold one "
              "value, got ", loss.defined() ? loss.shape() : Shape());
  step(loss.item());
}

void NormalizedLRGD::step(double loss) {
  LATHE_CHECK(std::isfinite(loss) && loss > 0.0, "[NormalizedLRGD] the loss must be finite and "
              "> 0 (the step is divided by it), got ", loss);
  loss_ = loss;
  try {
    Optimizer::step();
  } catch (...) {
    loss_ = std::numeric_limits<double>::quiet_NaN();
    throw;
  }
  loss_ = std::numeric_limits<double>::quiet_NaN();
}

void NormalizedLRGD::update(Tensor& param, const Tensor& grad, ParamState& state) {
  (void)state;
  LATHE_CHECK(!std::isnan(loss_), "[NormalizedLRGD] step() needs the loss value f(w): call "
              "step(loss)");
  param.sub_(grad * (lr() / loss_));
}

}  // namespace lathe::optim
