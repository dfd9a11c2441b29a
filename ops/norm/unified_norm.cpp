// unified_norm: Unified Normalization (UN) with its defined backward, as the official code runs
// it. x [..., C], every leading index a row; pad_mask [...] (optional, true = padding) keeps
// padded rows out of the forward statistic, not out of the backward's. The windows are the
// state buffers' first dims: M_f = buffer_x2.shape[0], M_b = buffer_gz.shape[0].
//
// Forward, training, step t >= 1:
//   1. x2 = mean over non-pad rows of x^2                               [C] (no gradient)
//   2. skip = (M_f <= 1); rec = unbiased variance of sqrt(buffer_x2) over all M_f C entries (one
//      scalar, taken before the write); buffer_x2[t % M_f] = x2. If t >= warmup and
//      outlier_filtration: AM = mean_window(buffer_x2), GM = exp(mean_window(log buffer_x2)); if
//      any channel has AM - GM > rec M_f, buffer_x2[t % M_f] = running_var and skip = true.
//   3. fluctuation smoothing: var = x2 if t <= M_f or t < warmup or skip, else GM of the window.
//   4. gradient compensation: r = sqrt(var + eps) / sqrt(running_var + eps); r = 1 if
//      t <= max(1000, warmup) or skip, else clamp(r, 1/5, 5).
//   5. z = x / sqrt(var + eps); running_var <- m running_var + (1 - m) var; y = gamma z + beta.
// Backward, defined (not the derivative of the forward):
//   g = gamma dy r; gz = mean over ALL rows of g z                       [C]
//   buffer_gz[t % M_b] = ema_gz if skip else gz                          (in place)
//   mean_gz = gz if t <= M_b or t < warmup or skip, else mean_window(buffer_gz)
//   ema_gz <- m ema_gz + (1 - m) mean_gz                                 (in place)
//   approx = g - mean_gz z if skip, else g - ema_gz z (the updated ema_gz)
//   dx = approx / sqrt(var + eps), dgamma = sum_rows dy r z (r z, not z), dbeta = sum_rows dy
// Eval: y = gamma x / sqrt(running_var + eps) + beta, no state change, the true gradient
// (foldable into the next linear layer: the paper's inference speedup).
//
// Paper: "Unified Normalization for Accelerating and Stabilizing Transformers" (Yang et al., ACM
// MM 2022). Code: hikvision-research/Unified-Normalization,
// neural_machine_translation/fairseq/modules/unified_normalization/unified_normalization.py
// (UN2dFunction, UN1d; identical copy under image_classification/). Defaults (UN1d): window 4 for
// both buffers, warmup_iters 4000, outlier_filtration false (the authors: false for NLP, true for
// CV), eps 1e-5, momentum 0.9. Verified against that file line by line, including the separate
// forward and backward windows (window_size may be a pair) and the skip counter, which counts
// filtration skips only (a module matter: models/norm/norm.h, UnifiedNorm).
//
// State (DESIGN rule 9): running_var and buffer_x2 are inputs and new outputs. ema_gz and
// buffer_gz are inputs that the backward rule updates in place (under NoGradGuard); their outputs
// are those same tensors, final once the backward has run. `skipped` (bool []) reports step 2.
// A training forward that records a graph claims ema_gz and buffer_gz (bumps their versions) and
// its backward refuses to run if either changed since, so several forwards per backward,
// recomputation and a second backward through a retained graph throw; so does double backward.
#include <algorithm>

#include "ops/custom_op.h"
#include "ops/norm/common.h"

namespace lathe {

UnifiedNormResult unified_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                               const Tensor& running_var, const Tensor& buffer_x2,
                               const Tensor& ema_gz, const Tensor& buffer_gz,
                               const Tensor& pad_mask, const UnifiedNormOptions& o) {
  const char* op = "unified_norm";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 1, "[unified_norm] expected x [..., C], got a 0-d tensor");
  int64_t ch = x.shape().back();
  Shape c{ch};
  check_shape(op, "weight", weight, c);
  check_shape(op, "bias", bias, c);
  check_shape(op, "running_var", running_var, c);
  check_shape(op, "ema_gz", ema_gz, c);
  check_floating(op, buffer_x2);
  check_floating(op, buffer_gz);
  LATHE_CHECK(buffer_x2.dim() == 2 && buffer_x2.shape()[0] >= 1 && buffer_x2.shape()[1] == ch,
              "[unified_norm] buffer_x2 must be [window, ", ch, "] with window >= 1, got ",
              buffer_x2.shape());
  LATHE_CHECK(buffer_gz.dim() == 2 && buffer_gz.shape()[0] >= 1 && buffer_gz.shape()[1] == ch,
              "[unified_norm] buffer_gz must be [window, ", ch, "] with window >= 1, got ",
              buffer_gz.shape());
  LATHE_CHECK(o.eps >= 0, "[unified_norm] eps must be >= 0, got ", o.eps);
  DType sd = norms::stat_dtype(x);

  if (!o.training) {
    Tensor no_skip = zeros(Shape(), DType::boolean, x.device());
    Tensor xs = norms::as_dtype(x, sd), w = norms::as_dtype(weight, sd);
    Tensor y = w * xs / sqrt(norms::as_dtype(running_var, sd) + o.eps) +
               norms::as_dtype(bias, sd);  // [..., C]
    return {norms::as_dtype(y, x.dtype()), no_skip, running_var, buffer_x2};
  }
  LATHE_CHECK(o.step >= 1, "[unified_norm] step must be >= 1 in training (iterations count from ",
              "1), got ", o.step);
  LATHE_CHECK(o.momentum >= 0 && o.momentum <= 1, "[unified_norm] momentum must lie in [0, 1], ",
              "got ", o.momentum);
  norms::RowMask mask = norms::row_mask(op, pad_mask, x);
  LATHE_CHECK(mask.count > 0, "[unified_norm] no rows: the batch statistics of x ", x.shape(),
              " are undefined");
  int64_t t = o.step, mf = buffer_x2.shape()[0], mb = buffer_gz.shape()[0];
  bool skip = mf <= 1;

  Tensor y, z, denom, r, new_rv, bx2, w;
  {
    NoGradGuard no_grad;
    Tensor xs = norms::as_dtype(norms::as_rows(op, x.detach()), sd);  // [M, C]
    Tensor x2 = norms::masked_row_mean(xs * xs, mask);                // [C]
    Tensor rv = norms::as_dtype(running_var, sd);                     // [C]
    Tensor roots = sqrt(norms::as_dtype(buffer_x2, sd));              // [M_f, C]
    Tensor dev = roots - mean(roots);
    Tensor rec = sum(dev * dev) / static_cast<double>(mf * ch - 1);  // [] unbiased
    bx2 = clone(buffer_x2);
    bx2.select(0, t % mf).copy_(x2);
    auto window_gm = [&] { return exp(mean(log(norms::as_dtype(bx2, sd)), {0})); };  // [C]
    if (t >= o.warmup_iters && o.outlier_filtration) {
      Tensor am = mean(norms::as_dtype(bx2, sd), {0});  // [C]
      Tensor outliers = cast(gt(am - window_gm(), rec * static_cast<double>(mf)), DType::f64);
      if (sum(outliers).item() > 0) {
        bx2.select(0, t % mf).copy_(running_var);
        skip = true;
      }
    }
    bool batch = t <= mf || t < o.warmup_iters || skip;
    Tensor var = batch ? x2 : window_gm();  // [C]
    denom = sqrt(var + o.eps);  // [C]
    r = denom / sqrt(rv + o.eps);
    r = t <= std::max<int64_t>(1000, o.warmup_iters) || skip ? ones_like(r)
                                                             : clamp(r, 1.0 / 5, 5.0);
    z = xs / denom;  // [M, C]
    new_rv = o.momentum * rv + (1 - o.momentum) * var;
    w = norms::as_dtype(weight.detach(), sd);
    y = norms::as_dtype(reshape(w * z + norms::as_dtype(bias, sd), x.shape()), x.dtype());
  }
  if (needs_grad({x, weight, bias})) {
    ema_gz.impl()->storage->bump_version();  // the claim; see "State" above
    buffer_gz.impl()->storage->bump_version();
    uint64_t ema_claim = ema_gz.version(), buffer_claim = buffer_gz.version();
    Tensor ema = ema_gz, bgz = buffer_gz;
    bool batch_grad = t <= mb || t < o.warmup_iters || skip;
    double m = o.momentum;
    Shape shape = x.shape();
    record(op, {x, weight, bias}, {y}, {z, denom, r, w},
           [=](BackwardCtx& ctx) -> std::vector<Tensor> {
             LATHE_CHECK(!is_grad_enabled(),
                         "[unified_norm] double backward (create_graph) is not defined: the "
                         "backward is a rule that updates ema_gz and buffer_gz");
             LATHE_CHECK(ema.version() == ema_claim && bgz.version() == buffer_claim,
                         "[unified_norm] ema_gz or buffer_gz changed between this forward and its "
                         "backward (another unified_norm forward or backward on them, or an "
                         "in-place write): each training forward needs its own backward before "
                         "the next forward, and runs it once");
             Tensor zs = ctx.saved(0), s = ctx.saved(1), rs = ctx.saved(2), gamma = ctx.saved(3);
             Tensor dy = reshape(norms::as_dtype(ctx.grad(0), zs.dtype()), zs.shape());  // [M, C]
             Tensor g = dy * gamma * rs;                                                 // [M, C]
             Tensor gz = mean(g * zs, {0});                                              // [C]
             Tensor mean_gz, approx;
             {
               NoGradGuard no_grad;
               Tensor state = ema;  // the captured handles are const; the tensors are shared
               bgz.select(0, t % mb).copy_(skip ? ema : gz);
               mean_gz = batch_grad ? gz : mean(norms::as_dtype(bgz, zs.dtype()), {0});
               state.copy_(m * norms::as_dtype(ema, zs.dtype()) + (1 - m) * mean_gz);
               approx = g - (skip ? mean_gz : norms::as_dtype(ema, zs.dtype())) * zs;
             }
             return {reshape(approx / s, shape), sum(dy * rs * zs, {0}), sum(dy, {0})};
           });
  }
  Tensor skipped = full(Shape(), skip ? 1.0 : 0.0, DType::boolean, x.device());
  return {y, skipped, norms::as_dtype(new_rv, running_var.dtype()), bx2};
}

LATHE_REGISTER_OPS(unified_norm) {
  registry.add(
      OpDef("unified_norm", "normalization")
          .summary("Unified Normalization: windowed statistics, outlier filtration, gradient "
                   "compensation, defined backward")
          .paper("Unified Normalization for Accelerating and Stabilizing Transformers "
                 "(Yang et al., 2022)")
          .input("x")
          .input("weight")
          .input("bias")
          .input("pad_mask", Kind::boolean, kOptional)
          .output("y")
          .output("skipped", Kind::boolean)
          .state("running_var")
          .state("buffer_x2")
          .state("ema_gz")
          .state("buffer_gz")
          .options<UnifiedNormOptions>()
          .attr("step", &UnifiedNormOptions::step, "this training iteration, counted from 1")
          .attr("warmup_iters", &UnifiedNormOptions::warmup_iters,
                "steps that use batch statistics before the windowed ones take over")
          .attr("outlier_filtration", &UnifiedNormOptions::outlier_filtration,
                "after warmup, skip a step whose window has outliers (AM - GM > rec M_f)")
          .attr("eps", &UnifiedNormOptions::eps, "added to the variance")
          .attr("momentum", &UnifiedNormOptions::momentum, "momentum of running_var and ema_gz")
          .attr("training", &UnifiedNormOptions::training,
                "false: eval, normalize by running_var, no state change")
          .custom_backward("defined backward: dx = (gamma dy r - ema_gz z) / sqrt(var + eps) with "
                           "ema_gz and buffer_gz updated in place during backward")
          .run([](const OpCall& c) {
            UnifiedNormResult r = unified_norm(
                c.in("x"), c.in("weight"), c.in("bias"), c.in("running_var"), c.in("buffer_x2"),
                c.in("ema_gz"), c.in("buffer_gz"), c.in("pad_mask"),
                c.options<UnifiedNormOptions>());
            return Outputs{r.y,         r.skipped,      r.running_var,
                           r.buffer_x2, c.in("ema_gz"), c.in("buffer_gz")};
          }));
}

}  // namespace lathe
