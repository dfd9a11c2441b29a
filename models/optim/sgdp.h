// SGDP (Heo et al., "AdamP: Slowing Down the Slowdown for Momentum Optimizers on Scale-invariant
// Weights", ICLR 2021, https://arxiv.org/abs/2006.08217), following the official code
// (clovaai/AdamP, adamp/sgdp.py; catalog/optimizer.md "sgdp"). For gradient g of parameter p:
//   buf = momentum * buf + (1 - dampening) * g                   (buf starts at zero)
//   d = g + momentum * buf (Nesterov) or d = buf
//   factor = projection of d when p looks scale-invariant (projection.h): wd_ratio, else 1;
//            parameters with one dimension are never projected
//   p = p * (1 - lr * weight_decay * factor / (1 - momentum))    (decoupled, when wd > 0)
//   p = p - lr * d
// NOTE: without Nesterov the official code projects d in place while d *is* the momentum buffer,
// so a projected step also projects the buffer; the paper's algorithm keeps the buffer
// unprojected. We follow the code (tools/oracle/optim.py checks against it).
// NOTE: the 1 / (1 - momentum) factor on the weight decay is the official code's: it makes the
// decay per step match what SGD's momentum would accumulate. momentum must be < 1 when
// weight_decay > 0.
// Defaults: momentum 0, dampening 0, weight_decay 0, nesterov false, eps 1e-8, delta 0.1,
// wd_ratio 0.1; lr has no default. State: "momentum_buffer" (the official code calls it
// "momentum"; we use torch.optim.SGD's name, as the catalog does).
// Checked against the official code (clovaai/AdamP at commit 7f6f038, package version 0.3.0):
// `tools/oracle/optim.py --official DIR` replays every fixture through its SGDP class; the
// parameters agree to 2e-15 over 20 steps.
#pragma once

#include "models/optim/optimizer.h"

namespace lathe::optim {

struct SGDPOptions {
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
  double eps = 1e-8;
  double delta = 0.1;     // cosine threshold, divided by sqrt(row length)
  double wd_ratio = 0.1;  // weight-decay factor on projected steps
};

class SGDP : public Optimizer {
 public:
  SGDP(std::vector<Tensor> params, double lr, SGDPOptions options = {});

  const SGDPOptions& options() const { return options_; }
  double momentum() const override { return options_.momentum; }
  void set_momentum(double momentum) override;

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override { return {"momentum_buffer"}; }
  bool counts_steps() const override { return false; }

 private:
  void check_momentum(double momentum) const;
  SGDPOptions options_;
};

}  // namespace lathe::optim
