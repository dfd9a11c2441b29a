#include "models/optim/lr_scheduler.h"

#include <algorithm>
#include <cmath>

namespace lathe::optim {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

// ---- LRScheduler ----

LRScheduler::LRScheduler(std::string name, Optimizer& optimizer)
    : optimizer_(optimizer), base_lr_(optimizer.lr()), name_(std::move(name)) {}

double LRScheduler::lr_at(int64_t epoch) const {
  LATHE_CHECK(epoch >= 0, "[", name_, "] epoch must be >= 0, got ", epoch);
  return compute_lr(epoch);
}

void LRScheduler::apply(int64_t epoch) { optimizer_.set_lr(lr_at(epoch)); }

void LRScheduler::step() {
  apply(last_epoch_ + 1);  // first, so that an error leaves the counter where it was
  ++last_epoch_;
}

StateDict LRScheduler::state_dict() const {
  return {{"last_epoch", scalar(static_cast<double>(last_epoch_), DType::i64, Device::reference())},
          {"base_lr", scalar(base_lr_, DType::f64, Device::reference())}};
}

void LRScheduler::load_state_dict(const StateDict& state) {
  const std::string op = "[" + name_ + "] load_state_dict: ";
  for (const auto& [key, t] : state) {
    LATHE_CHECK(key == "last_epoch" || key == "base_lr", op, "unexpected key '", key, "'");
    LATHE_CHECK(t.defined() && t.numel() == 1, op, "'", key, "' must hold one element");
  }
  for (const char* key : {"last_epoch", "base_lr"})
    LATHE_CHECK(state.count(key), op, "missing key '", key, "'");
  double epoch = state.at("last_epoch").item();
  double base = state.at("base_lr").item();
  LATHE_CHECK(epoch >= 0 && epoch == std::floor(epoch) && epoch < 9.0e15, op,
              "'last_epoch' must be a non-negative integer, got ", epoch);
  LATHE_CHECK(base >= 0 && std::isfinite(base), op, "'base_lr' must be finite and >= 0, got ",
              base);
  double old_base = base_lr_;
  base_lr_ = base;
  try {
    apply(static_cast<int64_t>(epoch));
  } catch (...) {
    base_lr_ = old_base;
    throw;
  }
  last_epoch_ = static_cast<int64_t>(epoch);
}

// ---- StepLR ----

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler("StepLR", optimizer), step_size_(step_size), gamma_(gamma) {
  LATHE_CHECK(step_size >= 1, "[StepLR] step_size must be >= 1, got ", step_size);
  LATHE_CHECK(gamma >= 0.0, "[StepLR] gamma must be >= 0, got ", gamma);
  apply(0);
}

double StepLR::compute_lr(int64_t epoch) const {
  return base_lr_ * std::pow(gamma_, static_cast<double>(epoch / step_size_));
}

// ---- LinearLR ----

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler("LinearLR", optimizer),
      start_factor_(start_factor),
      end_factor_(end_factor),
      total_iters_(total_iters) {
  LATHE_CHECK(start_factor >= 0.0 && start_factor <= 1.0,
              "[LinearLR] start_factor must lie in [0, 1], got ", start_factor);
  LATHE_CHECK(end_factor >= 0.0 && end_factor <= 1.0,
              "[LinearLR] end_factor must lie in [0, 1], got ", end_factor);
  LATHE_CHECK(total_iters >= 1, "[LinearLR] total_iters must be >= 1, got ", total_iters);
  apply(0);
}

double LinearLR::compute_lr(int64_t epoch) const {
  double done = static_cast<double>(std::min(epoch, total_iters_));
  return base_lr_ *
         (start_factor_ + (end_factor_ - start_factor_) * done / static_cast<double>(total_iters_));
}

// ---- CosineWarmupLR ----

CosineWarmupLR::CosineWarmupLR(Optimizer& optimizer, int64_t warmup_steps, int64_t total_steps,
                               double min_lr)
    : LRScheduler("CosineWarmupLR", optimizer),
      warmup_steps_(warmup_steps),
      total_steps_(total_steps),
      min_lr_(min_lr) {
  LATHE_CHECK(warmup_steps >= 0, "[CosineWarmupLR] warmup_steps must be >= 0, got ", warmup_steps);
  LATHE_CHECK(total_steps > warmup_steps,
              "[CosineWarmupLR] total_steps must exceed warmup_steps, got total_steps ",
              total_steps, ", warmup_steps ", warmup_steps);
  LATHE_CHECK(min_lr >= 0.0, "[CosineWarmupLR] min_lr must be >= 0, got ", min_lr);
  apply(0);
}

double CosineWarmupLR::compute_lr(int64_t epoch) const {
  if (epoch < warmup_steps_)
    return base_lr_ * static_cast<double>(epoch) / static_cast<double>(warmup_steps_);
  double progress = std::min(1.0, static_cast<double>(epoch - warmup_steps_) /
                                      static_cast<double>(total_steps_ - warmup_steps_));
  return min_lr_ + (base_lr_ - min_lr_) * 0.5 * (1.0 + std::cos(kPi * progress));
}

// ---- OneCycleLR ----

OneCycleLR::OneCycleLR(Optimizer& optimizer, double max_lr, int64_t total_steps,
                       OneCycleOptions options)
    : LRScheduler("OneCycleLR", optimizer),
      max_lr_(max_lr),
      total_steps_(total_steps),
      options_(std::move(options)) {
  const OneCycleOptions& o = options_;
  LATHE_CHECK(max_lr > 0.0 && std::isfinite(max_lr), "[OneCycleLR] max_lr must be > 0, got ",
              max_lr);
  LATHE_CHECK(total_steps >= 1, "[OneCycleLR] total_steps must be >= 1, got ", total_steps);
  LATHE_CHECK(o.pct_start >= 0.0 && o.pct_start <= 1.0,
              "[OneCycleLR] pct_start must lie in [0, 1], got ", o.pct_start);
  LATHE_CHECK(o.anneal_strategy == "cos" || o.anneal_strategy == "linear",
              "[OneCycleLR] anneal_strategy must be 'cos' or 'linear', got '", o.anneal_strategy,
              "'");
  LATHE_CHECK(o.div_factor > 0.0 && o.final_div_factor > 0.0,
              "[OneCycleLR] div_factor and final_div_factor must be > 0, got ", o.div_factor,
              " and ", o.final_div_factor);
  double initial = max_lr / o.div_factor;
  double final_lr = initial / o.final_div_factor;
  double rise_end = o.pct_start * static_cast<double>(total_steps) - 1.0;
  double last = static_cast<double>(total_steps - 1);
  double lo = o.base_momentum, hi = o.max_momentum;
  if (o.three_phase) {
    double fall_end = 2.0 * o.pct_start * static_cast<double>(total_steps) - 2.0;
    phases_ = {{rise_end, initial, max_lr, hi, lo},
               {fall_end, max_lr, initial, lo, hi},
               {last, initial, final_lr, hi, hi}};
  } else {
    phases_ = {{rise_end, initial, max_lr, hi, lo}, {last, max_lr, final_lr, lo, hi}};
  }
  double start = 0.0;
  for (const Phase& ph : phases_) {
    LATHE_CHECK(ph.end_step != start, "[OneCycleLR] pct_start ", o.pct_start, " with total_steps ",
                total_steps, " gives a phase of length zero (PyTorch divides by zero there)");
    start = ph.end_step;
  }
  base_lr_ = initial;
  apply(0);
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  if (options_.anneal_strategy == "linear") return (end - start) * pct + start;
  double cos_out = std::cos(kPi * pct) + 1.0;
  return end + (start - end) / 2.0 * cos_out;
}

const OneCycleLR::Phase& OneCycleLR::locate(int64_t epoch, double& pct) const {
  LATHE_CHECK(epoch <= total_steps_, "[OneCycleLR] epoch ", epoch,
              " is past total_steps = ", total_steps_,
              " (step() was called more than total_steps times)");
  double start = 0.0;
  for (size_t i = 0; i < phases_.size(); ++i) {
    const Phase& ph = phases_[i];
    if (static_cast<double>(epoch) <= ph.end_step || i + 1 == phases_.size()) {
      pct = (static_cast<double>(epoch) - start) / (ph.end_step - start);
      // Epoch total_steps lies one step past the last phase's end; PyTorch extrapolates there
      // (pct > 1: the cosine rises again, the linear anneal can turn the lr negative).
      if (i + 1 == phases_.size()) pct = std::min(pct, 1.0);
      return ph;
    }
    start = ph.end_step;
  }
  return phases_.back();  // not reached: the last phase takes every remaining epoch
}

double OneCycleLR::compute_lr(int64_t epoch) const {
  double pct = 0.0;
  const Phase& ph = locate(epoch, pct);
  return anneal(ph.start_lr, ph.end_lr, pct);
}

double OneCycleLR::momentum_at(int64_t epoch) const {
  LATHE_CHECK(epoch >= 0, "[OneCycleLR] epoch must be >= 0, got ", epoch);
  double pct = 0.0;
  const Phase& ph = locate(epoch, pct);
  return anneal(ph.start_momentum, ph.end_momentum, pct);
}

void OneCycleLR::apply(int64_t epoch) {
  double lr = lr_at(epoch);
  if (options_.cycle_momentum) optimizer_.set_momentum(momentum_at(epoch));
  optimizer_.set_lr(lr);
}

}  // namespace lathe::optim
