// AdamP (Heo et al., "AdamP: Slowing Down the Slowdown for Momentum Optimizers on
// Scale-invariant Weights", ICLR 2021, https://arxiv.org/abs/2006.08217), following the official
// code (clovaai/AdamP, adamp/adamp.py; catalog/optimizer.md "adamp"). For gradient g of
// parameter p at its step t (counted from 1):
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   d = m / (sqrt(v) / sqrt(1 - beta2^t) + eps)                  (Nesterov: beta1 * m
//                                                                 + (1 - beta1) * g for m)
//   factor = projection of d when p looks scale-invariant (projection.h): wd_ratio, else 1;
//            parameters with one dimension (biases, norm gains) are never projected
//   p = p * (1 - lr * weight_decay * factor)                     (decoupled, when wd > 0)
//   p = p - lr / (1 - beta1^t) * d
// Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, delta 0.1, wd_ratio 0.1,
// nesterov false. State: "step", "exp_avg", "exp_avg_sq" (the official code's names).
// Checked against the official code (clovaai/AdamP at commit 7f6f038, package version 0.3.0):
// `tools/oracle/optim.py --official DIR` replays every fixture through its AdamP class; the
// parameters agree to 1e-16 over 20 steps, the projection included.
#pragma once

#include "models/optim/optimizer.h"

namespace lathe::optim {

struct AdamPOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double delta = 0.1;     // cosine threshold, divided by sqrt(row length)
  double wd_ratio = 0.1;  // weight-decay factor on projected steps
  bool nesterov = false;
};

class AdamP : public Optimizer {
 public:
  AdamP(std::vector<Tensor> params, double lr = 1e-3, AdamPOptions options = {});

  const AdamPOptions& options() const { return options_; }
  double momentum() const override { return options_.beta1; }
  void set_momentum(double beta1) override;

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override { return {"exp_avg", "exp_avg_sq"}; }
  bool counts_steps() const override { return true; }

 private:
  AdamPOptions options_;
};

}  // namespace lathe::optim
