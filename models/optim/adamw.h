// AdamW: Adam with decoupled weight decay, as torch.optim.AdamW (PyTorch 1.13,
// https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html; Loshchilov & Hutter,
// "Decoupled Weight Decay Regularization", ICLR 2019, https://arxiv.org/abs/1711.05101).
// For gradient g of parameter p at its step t (counted from 1):
//   p = p * (1 - lr * weight_decay)                (decay first, outside the moments)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   v_max = max(v_max, v)                          (amsgrad; then v_max replaces v below)
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// Defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad false (lr 1e-3).
// State: "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq" (amsgrad only), as Adam.
#pragma once

#include "models/optim/optimizer.h"

namespace lathe::optim {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
};

class AdamW : public Optimizer {
 public:
  AdamW(std::vector<Tensor> params, double lr = 1e-3, AdamWOptions options = {});

  const AdamWOptions& options() const { return options_; }
  double momentum() const override { return options_.beta1; }
  void set_momentum(double beta1) override;

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override;
  bool counts_steps() const override { return true; }

 private:
  AdamWOptions options_;
};

}  // namespace lathe::optim
