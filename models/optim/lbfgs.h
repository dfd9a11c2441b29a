// L-BFGS, as torch.optim.LBFGS (PyTorch 1.13, itself after minFunc; Liu & Nocedal, "On the
// limited memory BFGS method for large scale optimization", Math. Programming 1989), with
// the optional strong-Wolfe line search (Nocedal & Wright, Algorithms 3.5/3.6, cubic
// interpolation as torch's _cubic_interpolate / _strong_wolfe: c1 1e-4, c2 0.9, at most 25
// evaluations). pykan trains KANs with it by default.
//
//   optim::LBFGS opt(model.parameters(), 1.0, {/*max_iter*/ 20});
//   opt.options().line_search_fn = "strong_wolfe";   (or pass it in LbfgsOptions)
//   for (...) opt.step([&] { opt.zero_grad(); Tensor l = loss(model); l.backward(); return l; });
//
// step(closure) runs up to max_iter iterations (and max_eval closure calls); the closure
// re-evaluates the model in grad mode and returns the scalar loss, which step() returns from
// its first call (the loss before the step). A closure returning anything but a one-element
// tensor is a lathe::Error naming LBFGS. One step per call of the plain step() (the base
// class's) is an error: L-BFGS needs its closure. All parameters share one dtype and device;
// the search runs on the flattened parameter vector (the history costs
// (2 history_size + 3) x numel elements). Parameters without a gradient count as zero
// gradients (torch).
// Defaults (torch): lr 1, max_iter 20, max_eval max_iter * 5 / 4, tolerance_grad 1e-7,
// tolerance_change 1e-9, history_size 100, no line search.
// State dict (its own: the base class's holds only "lr"; Trainer checkpoints use this one):
// "lr", "func_evals", "n_iter" (i64 []), and once a step ran "d", "prev_flat_grad" [N],
// "t", "H_diag", "prev_loss" (f64 []), "old_dirs", "old_stps" [m, N] and "ro" [m] when the
// history holds m > 0 pairs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/optim/optimizer.h"

namespace lathe::optim {

struct LbfgsOptions {
  int64_t max_iter = 20;           // iterations per step()
  int64_t max_eval = -1;           // closure calls per step(); < 0: max_iter * 5 / 4
  double tolerance_grad = 1e-7;    // stop when max |g| <= this
  double tolerance_change = 1e-9;  // stop when the step or the loss change is below this
  int64_t history_size = 100;
  std::string line_search_fn;      // "" (fixed step lr) | "strong_wolfe"
};

class LBFGS : public Optimizer {
 public:
  using Closure = std::function<Tensor()>;

  LBFGS(std::vector<Tensor> params, double lr = 1.0, LbfgsOptions options = {});

  // Runs the iterations; returns the closure's first loss.
  Tensor step(const Closure& closure);
  void step() = delete;  // L-BFGS re-evaluates the loss: use step(closure)

  const LbfgsOptions& options() const { return options_; }
  double momentum() const override { return 0.0; }
  void set_momentum(double momentum) override;

  nn::StateDict state_dict() const;
  void load_state_dict(const nn::StateDict& state);

 protected:
  void update(Tensor& param, const Tensor& grad, ParamState& state) override;
  std::vector<std::string> buffer_names() const override { return {}; }
  bool counts_steps() const override { return false; }

 private:
  struct Eval {
    double loss;
    Tensor grad;  // [N]
  };
  Eval evaluate(const Closure& closure);
  Eval directional_evaluate(const Closure& closure, const std::vector<Tensor>& x, double t,
                            const Tensor& d);
  Tensor flat_grad() const;                      // [N]
  void add_to_params(double t, const Tensor& d);  // p += t d (views of the flat vector)
  struct Search {
    double loss, t;
    Tensor grad;
    int64_t evals;
  };
  Search strong_wolfe(const Closure& closure, double t, const Tensor& d, double f,
                      const Tensor& g, double gtd);

  LbfgsOptions options_;
  int64_t numel_ = 0;
  // The search state carried between steps (torch's state of the first parameter).
  int64_t func_evals_ = 0, n_iter_ = 0;
  Tensor d_, prev_flat_grad_;
  double t_ = 0.0, h_diag_ = 1.0, prev_loss_ = 0.0;
  std::vector<Tensor> old_dirs_, old_stps_;
  std::vector<double> ro_;
};

}  // namespace lathe::optim
