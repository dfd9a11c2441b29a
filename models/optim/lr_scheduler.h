// Learning-rate schedulers: each sets its optimizer's lr (and OneCycleLR its momentum) from a
// closed-form function of the epoch counter, with PyTorch's (1.13) calling convention:
//
//   optim::SGD opt(params, 0.1);
//   optim::StepLR sched(opt, 30);       // construction sets lr for epoch 0
//   for (...) { ...; opt.step(); sched.step(); }   // step() advances one epoch and sets lr
//
// Because the lr is recomputed from the epoch rather than chained from the optimizer's current
// lr (PyTorch's recursive get_lr), a scheduler owns the lr: set_lr() calls between steps are
// overwritten at the next step. base_lr is the optimizer's lr at construction. The optimizer
// must outlive its scheduler.
//
// State dict: "last_epoch" (i64 scalar []) and "base_lr" (f64 scalar []), on the reference
// device. load_state_dict is strict (names the unexpected, missing or malformed key) and sets
// the optimizer's lr (and momentum) for the loaded epoch, so a run resumes exactly.
#pragma once

#include <string>

#include "models/optim/optimizer.h"

namespace lathe::optim {

class LRScheduler {
 public:
  virtual ~LRScheduler() = default;

  // Advances one epoch and applies its lr (an error past a OneCycleLR's total_steps).
  void step();
  int64_t last_epoch() const { return last_epoch_; }
  double base_lr() const { return base_lr_; }
  // The lr of an epoch (>= 0). Pure: it changes nothing.
  double lr_at(int64_t epoch) const;
  const std::string& name() const { return name_; }

  StateDict state_dict() const;
  void load_state_dict(const StateDict& state);

 protected:
  LRScheduler(std::string name, Optimizer& optimizer);
  // Sets the optimizer's lr (and anything else scheduled) for `epoch`. Derived constructors call
  // apply(0) once their options are checked, as PyTorch's constructor steps once.
  virtual void apply(int64_t epoch);
  virtual double compute_lr(int64_t epoch) const = 0;  // epoch >= 0
  Optimizer& optimizer_;
  double base_lr_;

 private:
  std::string name_;
  int64_t last_epoch_ = 0;
};

// StepLR: lr = base_lr * gamma^floor(epoch / step_size).
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

 protected:
  double compute_lr(int64_t epoch) const override;

 private:
  int64_t step_size_;
  double gamma_;
};

// LinearLR, the usual linear warmup (or decay): the factor goes linearly from start_factor to
// end_factor over total_iters epochs and stays there:
//   lr = base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) /
//        total_iters)
// PyTorch's defaults; both factors in [0, 1] (start_factor 0 is allowed: closed form).
class LinearLR : public LRScheduler {
 public:
  explicit LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3.0, double end_factor = 1.0,
                    int64_t total_iters = 5);

 protected:
  double compute_lr(int64_t epoch) const override;

 private:
  double start_factor_, end_factor_;
  int64_t total_iters_;
};

// Cosine decay after a linear warmup (the schedule of transformers'
// get_cosine_schedule_with_warmup, with a floor):
//   epoch < warmup_steps:  lr = base_lr * epoch / warmup_steps          (from 0)
//   otherwise:             progress = min(1, (epoch - warmup_steps) / (total_steps - warmup_steps))
//                          lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * progress)) / 2
// After total_steps the lr stays at min_lr. warmup_steps 0 is CosineAnnealingLR(T_max =
// total_steps, eta_min = min_lr) up to total_steps.
class CosineWarmupLR : public LRScheduler {
 public:
  CosineWarmupLR(Optimizer& optimizer, int64_t warmup_steps, int64_t total_steps,
                 double min_lr = 0.0);

 protected:
  double compute_lr(int64_t epoch) const override;

 private:
  int64_t warmup_steps_, total_steps_;
  double min_lr_;
};

struct OneCycleOptions {
  double pct_start = 0.3;               // share of the steps spent rising to max_lr
  std::string anneal_strategy = "cos";  // "cos" or "linear"
  bool cycle_momentum = true;           // momentum from max_momentum down to base_momentum and back
  double base_momentum = 0.85;
  double max_momentum = 0.95;
  double div_factor = 25.0;       // initial lr = max_lr / div_factor
  double final_div_factor = 1e4;  // final lr = initial lr / final_div_factor
  bool three_phase = false;       // rise, fall back to the initial lr, then anneal to the final
};

// OneCycleLR (Smith & Topin, "Super-Convergence", https://arxiv.org/abs/1708.07120), as
// torch.optim.lr_scheduler.OneCycleLR: phases end at step pct_start * total_steps - 1 (and
// 2 * pct_start * total_steps - 2 with three_phase) and total_steps - 1; within a phase the lr
// is annealed from its start to its end value with
//   cos:    end + (start - end) / 2 * (1 + cos(pi * pct)),    linear: start + (end - start) * pct
// pct = (epoch - phase start) / (phase end - phase start). The momentum (SGD momentum, Adam beta1)
// runs the opposite way when cycle_momentum. Construction sets the lr to max_lr / div_factor (the
// optimizer's own lr is ignored); stepping past total_steps is an error.
// NOTE: PyTorch allows epoch total_steps (the total_steps-th step(), after the last optimizer
// step of the usual loop) and extrapolates the last phase there (pct > 1): the cosine lr climbs
// back from the final lr, and the linear anneal can go negative. We hold the final lr and
// momentum at that epoch instead; every earlier epoch matches PyTorch.
class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(Optimizer& optimizer, double max_lr, int64_t total_steps,
             OneCycleOptions options = {});
  double momentum_at(int64_t epoch) const;

 protected:
  double compute_lr(int64_t epoch) const override;
  void apply(int64_t epoch) override;

 private:
  struct Phase {
    double end_step;
    double start_lr, end_lr, start_momentum, end_momentum;
  };
  // The phase holding `epoch` and the fraction of it done.
  const Phase& locate(int64_t epoch, double& pct) const;
  double anneal(double start, double end, double pct) const;

  double max_lr_;
  int64_t total_steps_;
  OneCycleOptions options_;
  std::vector<Phase> phases_;
};

}  // namespace lathe::optim
