// power_norm: PowerNorm with its approximate backward, as the official code runs it.
// x [..., C], every leading index a row; pad_mask [...] (optional, true = padding) keeps padded
// rows out of the batch statistic, not out of the backward's running statistic.
//
// Forward, training, step t >= 1, code_faithful = true (the default):
//   var = mean over non-pad rows of x^2                 [C]  (no mean subtraction, no gradient)
//   z   = x / sqrt(var + eps)          if t <= warmup   [M, C]
//         x / sqrt(running_phi + eps)  otherwise        (the running quadratic mean psi_{t-1})
//   if t < warmup: running_phi <- running_phi (t - 1) / t + var / t   (cumulative average)
//   running_phi <- alpha_fwd running_phi + (1 - alpha_fwd) var        (always)
//   y = gamma z + beta
// Backward, defined (not the derivative of the forward):
//   g = gamma dy, approx = g - (1 - alpha_bkw) ema_gz z
//   ema_gz <- ema_gz + mean over ALL rows of approx z    (in place; padded rows included)
//   dx = approx / sqrt(var + eps), dgamma = sum_rows dy z, dbeta = sum_rows dy
// Eval: y = gamma x / sqrt(running_phi + eps) + beta; no state change; its gradient is the true
// one (a composite).
//
// Paper: "PowerNorm: Rethinking Batch Normalization in Transformers" (Shen, Yao, Gholami,
// Mahoney, Keutzer, ICML 2020, arXiv:2003.07845). Code: sIncerass/powernorm,
// fairseq/modules/norms/mask_powernorm.py (PowerFunction, MaskPowerNorm). Defaults: eps 1e-5,
// alpha_fwd = alpha_bkw = 0.9, warmup_iters 10000 (MaskPowerNorm's default; fairseq passes
// --warmup-updates, 8000 in trans-scripts/train/train-iwslt14.sh), step 1.
//
// NOTE: the code and the paper's Algorithm 1 differ in two places; the code is the default.
//  (a) after warmup the code divides the backward by the batch sqrt(var + eps) while its forward
//      divided by sqrt(running_phi + eps); Algorithm 1 uses psi_{t-1} in both.
//  (b) the forward uses batch statistics while t <= warmup but the cumulative average runs while
//      t < warmup, so step t = warmup normalizes by the batch and updates running_phi by EMA only.
// code_faithful = false follows Algorithm 1: the backward divides by what the forward divided by,
// and the warmup boundary is t <= warmup in both places. With warmup_iters = 0 it is Algorithm 1
// literally: X_hat = X / psi_{t-1}, psi_t^2 = alpha psi_{t-1}^2 + (1 - alpha) psi_B^2,
// dX = (dX_hat - nu_{t-1} X_hat) / psi_{t-1}. Both paths keep ema_gz as the state: Algorithm 1's
// nu is (1 - alpha_bkw) ema_gz, and its update nu_t = nu_{t-1} (1 - (1 - alpha) Gamma_t) +
// (1 - alpha) Lambda_t (Gamma = mean x_hat^2, Lambda = mean x_hat dX_hat) is the code's update
// times (1 - alpha_bkw).
// Verified: the code path against mask_powernorm.py, line by line (var from the non-pad rows of
// the group-scaled input, psi_{t-1} in the forward after warmup, the t <= / t < boundaries,
// ema_gz averaged over all B T positions, dx = approx / sqrt(var + eps), dgamma from z).
// Unverified: Algorithm 1 itself (only the abstract and first page of arXiv:2003.07845 could be
// retrieved); the code_faithful = false path is the catalog's transcription of it.
//
// State (DESIGN rule 9): running_phi is an input and a new output. ema_gz is an input that the
// backward rule updates in place (under NoGradGuard); the ema_gz output is that same tensor, final
// once the backward has run. A training forward that records a graph claims ema_gz (bumps its
// version), and its backward refuses to run if ema_gz changed since: another power_norm forward
// or backward on it, or any in-place write. So several forwards per backward (accumulating two
// forwards into one backward, recomputation) and a second backward through a retained graph
// throw instead of silently changing the state sequence. Double backward (create_graph) throws.
#include "ops/custom_op.h"
#include "ops/norm/common.h"

namespace lathe {

PowerNormResult power_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                           const Tensor& running_phi, const Tensor& ema_gz, const Tensor& pad_mask,
                           const PowerNormOptions& o) {
  const char* op = "power_norm";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 1, "[power_norm] expected x [..., C], got a 0-d tensor");
  Shape c{x.shape().back()};
  check_shape(op, "weight", weight, c);
  check_shape(op, "bias", bias, c);
  check_shape(op, "running_phi", running_phi, c);
  check_shape(op, "ema_gz", ema_gz, c);
  LATHE_CHECK(o.eps >= 0, "[power_norm] eps must be >= 0, got ", o.eps);
  DType sd = norms::stat_dtype(x);

  if (!o.training) {
    Tensor xs = norms::as_dtype(x, sd), w = norms::as_dtype(weight, sd);
    Tensor y = w * xs / sqrt(norms::as_dtype(running_phi, sd) + o.eps) +
               norms::as_dtype(bias, sd);  // [..., C]
    return {norms::as_dtype(y, x.dtype()), running_phi};
  }
  LATHE_CHECK(o.step >= 1, "[power_norm] step must be >= 1 in training (iterations count from 1)",
              ", got ", o.step);
  LATHE_CHECK(o.alpha_fwd >= 0 && o.alpha_fwd <= 1 && o.alpha_bkw >= 0 && o.alpha_bkw <= 1,
              "[power_norm] alpha_fwd and alpha_bkw must lie in [0, 1], got ", o.alpha_fwd, " and ",
              o.alpha_bkw);
  norms::RowMask mask = norms::row_mask(op, pad_mask, x);
  LATHE_CHECK(mask.count > 0, "[power_norm] no rows: the batch statistics of x ", x.shape(),
              " are undefined");
  double t = static_cast<double>(o.step);
  bool batch_forward = o.step <= o.warmup_iters;
  bool cumulative = o.code_faithful ? o.step < o.warmup_iters : o.step <= o.warmup_iters;

  Tensor y, z, denom_backward, phi, w;
  {
    NoGradGuard no_grad;
    Tensor xs = norms::as_dtype(norms::as_rows(op, x.detach()), sd);  // [M, C]
    Tensor var = norms::masked_row_mean(xs * xs, mask);               // [C]
    Tensor denom_batch = sqrt(var + o.eps);                           // [C]
    phi = norms::as_dtype(running_phi, sd);                           // [C]
    Tensor denom = batch_forward ? denom_batch : sqrt(phi + o.eps);
    z = xs / denom;  // [M, C]
    denom_backward = o.code_faithful ? denom_batch : denom;
    if (cumulative) phi = phi * ((t - 1) / t) + var / t;
    phi = o.alpha_fwd * phi + (1 - o.alpha_fwd) * var;
    w = norms::as_dtype(weight.detach(), sd);
    y = norms::as_dtype(reshape(w * z + norms::as_dtype(bias, sd), x.shape()), x.dtype());
  }
  if (needs_grad({x, weight, bias})) {
    ema_gz.impl()->storage->bump_version();  // the claim; see "State" above
    uint64_t claimed = ema_gz.version();
    Tensor ema = ema_gz;
    double keep = 1 - o.alpha_bkw;
    Shape shape = x.shape();
    record(op, {x, weight, bias}, {y}, {z, denom_backward, w},
           [=](BackwardCtx& ctx) -> std::vector<Tensor> {
             LATHE_CHECK(!is_grad_enabled(),
                         "[power_norm] double backward (create_graph) is not defined: the "
                         "backward is a rule that updates ema_gz");
             LATHE_CHECK(ema.version() == claimed,
                         "[power_norm] ema_gz changed between this forward and its backward "
                         "(another power_norm forward or backward on it, or an in-place write): "
                         "each training forward needs its own backward before the next forward, "
                         "and runs it once");
             Tensor zs = ctx.saved(0), denom = ctx.saved(1), gamma = ctx.saved(2);
             Tensor dy = reshape(norms::as_dtype(ctx.grad(0), zs.dtype()), zs.shape());  // [M, C]
             Tensor approx = dy * gamma - keep * norms::as_dtype(ema, zs.dtype()) * zs;  // [M, C]
             {
               NoGradGuard no_grad;
               Tensor state = ema;  // the captured handle is const; the tensor is shared
               state.add_(mean(approx * zs, {0}));
             }
             return {reshape(approx / denom, shape), sum(dy * zs, {0}), sum(dy, {0})};
           });
  }
  return {y, norms::as_dtype(phi, running_phi.dtype())};
}

LATHE_REGISTER_OPS(power_norm) {
  registry.add(
      OpDef("power_norm", "normalization")
          .summary("PowerNorm: running quadratic mean forward, approximate backward")
          .paper("PowerNorm: Rethinking Batch Normalization in Transformers (Shen et al., 2020)")
          .input("x")
          .input("weight")
          .input("bias")
          .input("pad_mask", Kind::boolean, kOptional)
          .output("y")
          .state("running_phi")
          .state("ema_gz")
          .options<PowerNormOptions>()
          .attr("eps", &PowerNormOptions::eps, "added to the quadratic mean")
          .attr("alpha_fwd", &PowerNormOptions::alpha_fwd,
                "momentum of the running quadratic mean (running_phi)")
          .attr("alpha_bkw", &PowerNormOptions::alpha_bkw,
                "backward: approx = gamma dy - (1 - alpha_bkw) ema_gz z")
          .attr("warmup_iters", &PowerNormOptions::warmup_iters,
                "steps normalized by the batch statistic before running_phi takes over")
          .attr("step", &PowerNormOptions::step, "this training iteration, counted from 1")
          .attr("training", &PowerNormOptions::training,
                "false: eval, normalize by running_phi, no state change")
          .attr("code_faithful", &PowerNormOptions::code_faithful,
                "false: the paper's Algorithm 1 (ops/norm/power_norm.cpp)")
          .custom_backward("approximate backward dx = (gamma dy - (1 - alpha_bkw) ema_gz z) / "
                           "sqrt(var + eps); it updates ema_gz in place")
          .run([](const OpCall& c) {
            PowerNormResult r =
                power_norm(c.in("x"), c.in("weight"), c.in("bias"), c.in("running_phi"),
                           c.in("ema_gz"), c.in("pad_mask"), c.options<PowerNormOptions>());
            return Outputs{r.y, r.running_phi, c.in("ema_gz")};
          }));
}

}  // namespace lathe
