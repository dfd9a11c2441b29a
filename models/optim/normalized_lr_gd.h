// Normalized LR+GD (Tyurin, "From Logistic Regression to the Perceptron Algorithm: Exploring
// Gradient Descent with Large Step Sizes", 2024, https://arxiv.org/abs/2412.08424; catalog
// optimizer.md "normalized_lr_gd"). For the loss value f(w) > 0 at the current parameters:
//   w <- w - (lr / f(w)) grad f(w)
// so the effective step grows as f -> 0 on separable data instead of vanishing (LR+GD at step
// size -> infinity is a batch perceptron; the normalization keeps that regime at finite lr).
// Confidence "memory": only the abstract was readable (it names Normalized LR+GD and its link to
// the perceptron); the division by f(w), with f the mean logistic loss
// (1/n) sum log(1 + exp(-y_i a_i^T w)), is the catalog's reading, kept until the paper's
// algorithm box can be checked. The caller passes f(w): `step(loss)`; a plain `step()` is an
// error. Defaults: none (lr is required). State: none.
#pragma once

#include "models/optim/optimizer.h"

namespace lathe::optim {

class NormalizedLRGD : public Optimizer {
 public:
  NormalizedLRGD(std::vector<Tensor> params, double lr);

  using Optimizer::step;                // throws: the update needs the loss value
  void step(const Tensor& loss);        // a one-element loss tensor, f(w) at the current w
  void step(double loss);

  double momentum() const override { return 0.0; }
  void set_momentum(double momentum) override;

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override { return {}; }
  bool counts_steps() const override { return false; }

 private:
  double loss_;  // NaN outside step(loss)
};

}  // namespace lathe::optim
