// L-BFGS with the optional strong-Wolfe line search (models/optim/lbfgs.h): the iteration
// order, tests and constants of torch.optim.LBFGS 1.13, so that both give the same iterates
// step for step (tests/models/lbfgs_test.cpp against tools/oracle/lbfgs.py). Dot products and
// maxima are taken on the device and read back as doubles; the two-loop recursion runs on the
// flattened parameter vector.
#include "models/optim/lbfgs.h"

#include <algorithm>
#include <cmath>

#include "core/grad_mode.h"
#include "ops/ops.h"

namespace lathe::optim {

namespace {

double dot(const Tensor& a, const Tensor& b) { return sum(a * b).item(); }
double max_abs(const Tensor& a) { return max(abs(a)).item(); }

// The minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds
// (default: the interval between x1 and x2); the bounds' midpoint when the cubic has none.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         const double* bounds = nullptr) {
  double lo = bounds ? bounds[0] : std::min(x1, x2);
  double hi = bounds ? bounds[1] : std::max(x1, x2);
  double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  double d2_square = d1 * d1 - g1 * g2;
  if (d2_square < 0) return (lo + hi) / 2.0;
  double d2 = std::sqrt(d2_square);
  double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                            : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return std::min(std::max(min_pos, lo), hi);
}

}  // namespace

LBFGS::LBFGS(std::vector<Tensor> params, double lr, LbfgsOptions options)
    : Optimizer("LBFGS", std::move(params), lr), options_(std::move(options)) {
  const Tensor& p0 = this->params()[0];
  for (const Tensor& p : this->params()) {
    LATHE_CHECK(p.dtype() == p0.dtype() && p.device() == p0.device(), "[LBFGS] all parameters "
                "must share one dtype and device, got ", p.dtype(), " and ", p0.dtype());
    numel_ += p.numel();
  }
  LATHE_CHECK(options_.max_iter >= 1, "[LBFGS] max_iter must be >= 1, got ", options_.max_iter);
  if (options_.max_eval < 0) options_.max_eval = options_.max_iter * 5 / 4;
  LATHE_CHECK(options_.history_size >= 1, "[LBFGS] history_size must be >= 1, got ",
              options_.history_size);
  check_non_negative("tolerance_grad", options_.tolerance_grad);
  check_non_negative("tolerance_change", options_.tolerance_change);
  LATHE_CHECK(options_.line_search_fn.empty() || options_.line_search_fn == "strong_wolfe",
              "[LBFGS] line_search_fn must be empty or 'strong_wolfe', got '",
              options_.line_search_fn, "'");
}

void LBFGS::set_momentum(double) { LATHE_FAIL("[LBFGS] has no momentum to schedule"); }

void LBFGS::update(Tensor&, const Tensor&, ParamState&) {
  LATHE_FAIL("[LBFGS] step() needs a closure that re-evaluates the loss: call step(closure)");
}

Tensor LBFGS::flat_grad() const {
  std::vector<Tensor> views;
  for (const Tensor& p : params()) {
    Tensor g = p.grad();
    views.push_back(g.defined() ? reshape(g.detach(), {p.numel()}).clone()
                                : zeros({p.numel()}, p.dtype(), p.device()));
  }
  return views.size() == 1 ? views[0] : concat(views, 0);
}

void LBFGS::add_to_params(double t, const Tensor& d) {
  int64_t offset = 0;
  for (const Tensor& p : params()) {
    Tensor part = reshape(slice(d, 0, offset, offset + p.numel()), p.shape());
    Tensor(p).add_(part * t);
    offset += p.numel();
  }
}

LBFGS::Eval LBFGS::evaluate(const Closure& closure) {
  Tensor loss;
  {
    GradModeGuard grad_on(true);
    loss = closure();
  }
  LATHE_CHECK(loss.defined() && loss.numel() == 1, "[LBFGS] the closure must return a scalar "
              "loss (one element), got ", loss.defined() ? loss.shape() : Shape{0});
  return {loss.item(), flat_grad()};
}

LBFGS::Eval LBFGS::directional_evaluate(const Closure& closure, const std::vector<Tensor>& x,
                                        double t, const Tensor& d) {
  add_to_params(t, d);
  Eval e = evaluate(closure);
  for (size_t i = 0; i < x.size(); ++i) Tensor(params()[i]).copy_(x[i]);
  return e;
}

LBFGS::Search LBFGS::strong_wolfe(const Closure& closure, double t, const Tensor& d, double f,
                                  const Tensor& g, double gtd) {
  const double c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9;
  const int64_t max_ls = 25;
  std::vector<Tensor> x;
  for (const Tensor& p : params()) x.push_back(p.detach().clone());
  double d_norm = max_abs(d);
  Eval e = directional_evaluate(closure, x, t, d);
  int64_t evals = 1;
  double gtd_new = dot(e.grad, d);
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Tensor g_prev = g;
  bool done = false;
  int64_t ls_iter = 0;
  // The bracket [low, high] (or one point when done): step, loss, gradient, slope.
  std::vector<double> bt, bf, bgtd;
  std::vector<Tensor> bg;
  while (ls_iter < max_ls) {
    if (e.loss > f + c1 * t * gtd || (ls_iter > 1 && e.loss >= f_prev)) {
      bt = {t_prev, t}, bf = {f_prev, e.loss}, bg = {g_prev, e.grad}, bgtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::fabs(gtd_new) <= -c2 * gtd) {
      bt = {t}, bf = {e.loss}, bg = {e.grad};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bt = {t_prev, t}, bf = {f_prev, e.loss}, bg = {g_prev, e.grad}, bgtd = {gtd_prev, gtd_new};
      break;
    }
    // Extrapolate within [t + 0.01 (t - t_prev), 10 t].
    double bounds[2] = {t + 0.01 * (t - t_prev), t * 10};
    double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, e.loss, gtd_new, bounds);
    t_prev = tmp, f_prev = e.loss, g_prev = e.grad, gtd_prev = gtd_new;
    e = directional_evaluate(closure, x, t, d);
    ++evals;
    gtd_new = dot(e.grad, d);
    ++ls_iter;
  }
  if (ls_iter == max_ls) bt = {0, t}, bf = {f, e.loss}, bg = {g, e.grad};

  // Zoom: shrink the bracket until the strong Wolfe conditions hold.
  bool insuf_progress = false;
  int low = bf[0] <= bf.back() ? 0 : 1, high = 1 - low;
  while (!done && ls_iter < max_ls) {
    if (std::fabs(bt[1] - bt[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bt[0], bf[0], bgtd[0], bt[1], bf[1], bgtd[1]);
    double top = std::max(bt[0], bt[1]), bottom = std::min(bt[0], bt[1]);
    double eps = 0.1 * (top - bottom);
    if (std::min(top - t, t - bottom) < eps) {
      // Too close to an end: move eps inside, unless the last step made progress.
      if (insuf_progress || t >= top || t <= bottom) {
        t = std::fabs(t - top) < std::fabs(t - bottom) ? top - eps : bottom + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    e = directional_evaluate(closure, x, t, d);
    ++evals;
    gtd_new = dot(e.grad, d);
    ++ls_iter;
    if (e.loss > f + c1 * t * gtd || e.loss >= bf[low]) {
      bt[high] = t, bf[high] = e.loss, bg[high] = e.grad, bgtd[high] = gtd_new;
      low = bf[0] <= bf[1] ? 0 : 1, high = 1 - low;
    } else {
      if (std::fabs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bt[high] - bt[low]) >= 0) {
        bt[high] = bt[low], bf[high] = bf[low], bg[high] = bg[low], bgtd[high] = bgtd[low];
      }
      bt[low] = t, bf[low] = e.loss, bg[low] = e.grad, bgtd[low] = gtd_new;
    }
  }
  return {bf[low], bt[low], bg[low], evals};
}

Tensor LBFGS::step(const Closure& closure) {
  NoGradGuard no_grad;
  const LbfgsOptions& o = options_;
  Tensor orig_loss;
  {
    GradModeGuard grad_on(true);
    orig_loss = closure();
  }
  LATHE_CHECK(orig_loss.defined() && orig_loss.numel() == 1, "[LBFGS] the closure must return "
              "a scalar loss (one element), got ",
              orig_loss.defined() ? orig_loss.shape() : Shape{0});
  double loss = orig_loss.item();
  int64_t current_evals = 1;
  ++func_evals_;
  Tensor g = flat_grad();                                               // [N]
  if (max_abs(g) <= o.tolerance_grad) return orig_loss;

  for (int64_t n_iter = 1; n_iter <= o.max_iter; ++n_iter) {
    ++n_iter_;
    if (n_iter_ == 1) {
      d_ = -g;
      old_dirs_.clear(), old_stps_.clear(), ro_.clear();
      h_diag_ = 1.0;
    } else {
      // Update the curvature pairs (skipped when y's < 1e-10 keeps H positive definite).
      Tensor y = g - prev_flat_grad_;                                   // [N]
      Tensor s = d_ * t_;                                               // [N]
      double ys = dot(y, s);
      if (ys > 1e-10) {
        if (static_cast<int64_t>(old_dirs_.size()) == o.history_size) {
          old_dirs_.erase(old_dirs_.begin());
          old_stps_.erase(old_stps_.begin());
          ro_.erase(ro_.begin());
        }
        old_dirs_.push_back(y), old_stps_.push_back(s), ro_.push_back(1.0 / ys);
        h_diag_ = ys / dot(y, y);
      }
      // Two-loop recursion: d = -H g.
      size_t m = old_dirs_.size();
      std::vector<double> al(m);
      Tensor q = -g;
      for (size_t i = m; i-- > 0;) {
        al[i] = dot(old_stps_[i], q) * ro_[i];
        q = q - old_dirs_[i] * al[i];
      }
      Tensor r = q * h_diag_;
      for (size_t i = 0; i < m; ++i) {
        double be_i = dot(old_dirs_[i], r) * ro_[i];
        r = r + old_stps_[i] * (al[i] - be_i);
      }
      d_ = r;
    }
    prev_flat_grad_ = g;
    prev_loss_ = loss;
    t_ = n_iter_ == 1 ? std::min(1.0, 1.0 / sum(abs(g)).item()) * lr() : lr();
    double gtd = dot(g, d_);
    if (gtd > -o.tolerance_change) break;  // not a descent direction

    int64_t ls_evals = 0;
    bool opt_cond = false;
    if (!o.line_search_fn.empty()) {
      Search s = strong_wolfe(closure, t_, d_, loss, g, gtd);
      loss = s.loss, g = s.grad, t_ = s.t, ls_evals = s.evals;
      add_to_params(t_, d_);
      opt_cond = max_abs(g) <= o.tolerance_grad;
    } else {
      add_to_params(t_, d_);
      if (n_iter != o.max_iter) {
        Eval e = evaluate(closure);
        loss = e.loss, g = e.grad, ls_evals = 1;
        opt_cond = max_abs(g) <= o.tolerance_grad;
      }
    }
    current_evals += ls_evals;
    func_evals_ += ls_evals;
    if (n_iter == o.max_iter || current_evals >= o.max_eval || opt_cond) break;
    if (max_abs(d_ * t_) <= o.tolerance_change) break;
    if (std::fabs(loss - prev_loss_) < o.tolerance_change) break;
  }
  return orig_loss;
}

nn::StateDict LBFGS::state_dict() const {
  nn::StateDict out;
  auto f64 = [](double v) { return scalar(v, DType::f64, Device::reference()); };
  auto i64 = [](int64_t v) {
    return scalar(static_cast<double>(v), DType::i64, Device::reference());
  };
  out["lr"] = f64(lr());
  out["func_evals"] = i64(func_evals_);
  out["n_iter"] = i64(n_iter_);
  if (!d_.defined()) return out;
  NoGradGuard no_grad;
  out["d"] = d_.clone();
  out["prev_flat_grad"] = prev_flat_grad_.clone();
  out["t"] = f64(t_);
  out["H_diag"] = f64(h_diag_);
  out["prev_loss"] = f64(prev_loss_);
  if (!old_dirs_.empty()) {
    out["old_dirs"] = stack(old_dirs_, 0);
    out["old_stps"] = stack(old_stps_, 0);
    out["ro"] = from_vector(ro_, {static_cast<int64_t>(ro_.size())}, DType::f64,
                            Device::reference());
  }
  return out;
}

void LBFGS::load_state_dict(const nn::StateDict& state) {
  const std::string op = "[LBFGS] load_state_dict: ";
  auto get = [&](const char* key) -> const Tensor& {
    auto it = state.find(key);
    LATHE_CHECK(it != state.end() && it->second.defined(), op, "missing key '", key, "'");
    return it->second;
  };
  auto scalar_of = [&](const char* key) {
    const Tensor& t = get(key);
    LATHE_CHECK(t.numel() == 1, op, "'", key, "' must hold one element, got ", t.shape());
    return t.item();
  };
  const Tensor& p0 = params()[0];
  auto vector_of = [&](const char* key, Shape shape) {
    const Tensor& t = get(key);
    LATHE_CHECK(t.shape() == shape, op, "'", key, "' has shape ", t.shape(), ", expected ",
                shape);
    return cast(to_device(t.detach(), p0.device()), p0.dtype()).clone();
  };
  bool searched = state.count("d") > 0, history = state.count("old_dirs") > 0;
  size_t expected = 3 + (searched ? 5 : 0) + (history ? 3 : 0);
  LATHE_CHECK(state.size() == expected, op, "got ", state.size(), " keys, expected ", expected,
              " (lr, func_evals, n_iter; d, prev_flat_grad, t, H_diag, prev_loss after a step;"
              " old_dirs, old_stps, ro with a history)");
  double lr = scalar_of("lr");
  int64_t func_evals = static_cast<int64_t>(scalar_of("func_evals"));
  int64_t n_iter = static_cast<int64_t>(scalar_of("n_iter"));
  Tensor d, prev;
  double t = 0, h_diag = 1, prev_loss = 0;
  std::vector<Tensor> dirs, stps;
  std::vector<double> ro;
  NoGradGuard no_grad;
  if (searched) {
    d = vector_of("d", {numel_});
    prev = vector_of("prev_flat_grad", {numel_});
    t = scalar_of("t"), h_diag = scalar_of("H_diag"), prev_loss = scalar_of("prev_loss");
  }
  if (history) {
    int64_t m = get("ro").numel();
    LATHE_CHECK(m <= options_.history_size, op, "the history holds ", m,
                " pairs, history_size is ", options_.history_size);
    Tensor all_dirs = vector_of("old_dirs", {m, numel_});
    Tensor all_stps = vector_of("old_stps", {m, numel_});
    ro = cast(get("ro"), DType::f64).to_vector<double>();
    for (int64_t i = 0; i < m; ++i) {
      dirs.push_back(all_dirs.select(0, i).clone());
      stps.push_back(all_stps.select(0, i).clone());
    }
  }
  set_lr(lr);
  func_evals_ = func_evals, n_iter_ = n_iter;
  d_ = d, prev_flat_grad_ = prev, t_ = t, h_diag_ = h_diag, prev_loss_ = prev_loss;
  old_dirs_ = dirs, old_stps_ = stps, ro_ = ro;
}

}  // namespace lathe::optim
