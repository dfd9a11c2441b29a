// evonorm_b0: EvoNorm-B0 on x [N, C, *spatial] with per-channel gamma, beta, v ([C] or
// [1, C, 1, ...]):
//   s2_b = variance over (N, spatial) per channel, s2_i = variance over spatial per (n, c),
//   both biased;
//   y = x / max(sqrt(s2_b + eps), v x + sqrt(s2_i + eps)) * gamma + beta
// The max is elementwise: the left term broadcasts per channel, the right one is per element.
// Training uses the batch s2_b (with its gradient) and returns
//   moving_var - (moving_var - s2_b) (1 - decay)   (s2_b without gradient);
// eval uses moving_var for s2_b and returns it unchanged. nonlinearity = false: y = x gamma + beta
// and moving_var is left unchanged (the official code never builds the batch std then).
// Paper: "Evolving Normalization-Activation Layers" (Liu, Brock, Simonyan, Le, NeurIPS 2020).
// Code: tensorflow/tpu, models/official/resnet/resnet_model.py (evonorm, _batch_std,
// _instance_std; MOVING_AVERAGE_DECAY = 0.9, EPSILON = 1e-5), checked: tf.nn.moments variances
// (biased), eps inside the sqrt, assign_sub for the moving variance.
// Defaults: decay 0.9, eps 1e-5, nonlinearity true.
// Composite: autograd through the max splits the gradient evenly at exact ties (like
// torch.maximum), through the batch variance (training) and the instance variance.
#include "ops/norm/common.h"

namespace lathe {

EvoNormB0Result evonorm_b0(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                           const Tensor& v, const Tensor& moving_var, bool training, double decay,
                           double eps, bool nonlinearity) {
  const char* op = "evonorm_b0";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 3, "[evonorm_b0] expected x [N, C, *spatial] with a spatial dim, got ",
              x.shape());
  LATHE_CHECK(eps >= 0, "[evonorm_b0] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Tensor g = norms::as_dtype(norms::channel_param(op, "gamma", gamma, x), sd);
  Tensor b = norms::as_dtype(norms::channel_param(op, "beta", beta, x), sd);
  Tensor vv = norms::as_dtype(norms::channel_param(op, "v", v, x), sd);
  Tensor mv = norms::as_dtype(norms::channel_param(op, "moving_var", moving_var, x), sd);
  Tensor xs = norms::as_dtype(x, sd);
  if (!nonlinearity) return {norms::as_dtype(xs * g + b, x.dtype()), moving_var};

  Tensor var_b = mv, moving = moving_var;  // [1, C, 1, ...]
  if (training) {
    LATHE_CHECK(x.numel() / x.shape()[1] > 1, "[evonorm_b0] training needs more than one value ",
                "per channel for the batch variance, got x ", x.shape());
    Axes batch_axes = norms::axes_except(x.dim(), 1);
    Tensor d = xs - mean(xs, batch_axes, true);
    var_b = mean(d * d, batch_axes, true);  // [1, C, 1, ...]
    NoGradGuard no_grad;
    Tensor updated = mv - (mv - var_b.detach()) * (1 - decay);
    moving = norms::as_dtype(reshape(updated, moving_var.shape()), moving_var.dtype());
  }
  Axes spatial;
  for (int i = 2; i < x.dim(); ++i) spatial.push_back(i);
  Tensor di = xs - mean(xs, spatial, true);
  Tensor std_i = sqrt(mean(di * di, spatial, true) + eps);   // [N, C, 1, ...]
  Tensor den = maximum(sqrt(var_b + eps), vv * xs + std_i);  // [N, C, *spatial]
  return {norms::as_dtype(xs / den * g + b, x.dtype()), moving};
}

LATHE_REGISTER_OPS(evonorm_b0) {
  registry.add(OpDef("evonorm_b0", "normalization")
                   .summary("x / max(sqrt(var_batch + eps), v x + sqrt(var_instance + eps)) * "
                            "gamma + beta")
                   .paper("Evolving Normalization-Activation Layers (Liu et al., 2020)")
                   .input("x")
                   .input("gamma")
                   .input("beta")
                   .input("v")
                   .output("y")
                   .state("moving_var")
                   .attr("training", true, "true: batch variance, moving_var updated")
                   .attr("decay", 0.9, "moving_var <- decay moving_var + (1 - decay) var_batch")
                   .attr("eps", 1e-5, "added to both variances")
                   .attr("nonlinearity", true, "false: y = x gamma + beta")
                   .run([](const OpCall& c) {
                     EvoNormB0Result r = evonorm_b0(c.in("x"), c.in("gamma"), c.in("beta"),
                                                    c.in("v"), c.in("moving_var"), c.b("training"),
                                                    c.f("decay"), c.f("eps"), c.b("nonlinearity"));
                     return Outputs{r.y, r.moving_var};
                   }));
}

}  // namespace lathe
