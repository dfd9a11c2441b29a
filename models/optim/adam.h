// Adam, as torch.optim.Adam (PyTorch 1.13,
// https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html; Kingma & Ba, "Adam: A Method for
// Stochastic Optimization", ICLR 2015, https://arxiv.org/abs/1412.6980). For gradient g of
// parameter p at its step t (counted from 1):
//   g = g + weight_decay * p                       (L2 penalty: coupled with the moments)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   v_max = max(v_max, v)                          (amsgrad; then v_max replaces v below)
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// Defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false (lr 1e-3 in PyTorch).
// State: "step", "exp_avg" (m), "exp_avg_sq" (v), "max_exp_avg_sq" (v_max, amsgrad only).
#pragma once

#include "models/optim/optimizer.h"

namespace lathe::optim {

struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, double lr = 1e-3, AdamOptions options = {});

  const AdamOptions& options() const { return options_; }
  double momentum() const override { return options_.beta1; }
  void set_momentum(double beta1) override;

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override;
  bool counts_steps() const override { return true; }

 private:
  AdamOptions options_;
};

namespace detail {
// What Adam and AdamW share: counts the step, updates the moments in `state` (creating them on
// the first step) and returns the bias-corrected direction
// m / (sqrt(v or v_max) / sqrt(1 - beta2^t) + eps) * (lr / (1 - beta1^t)), to be subtracted.
Tensor adam_direction(const Tensor& param, const Tensor& grad, int64_t& step,
                      std::map<std::string, Tensor>& buffers, double lr, double beta1, double beta2,
                      double eps, bool amsgrad);
// "[name] betas must lie in [0, 1), got (b1, b2)".
void check_betas(const std::string& name, double beta1, double beta2);
}  // namespace detail

}  // namespace lathe::optim
