// batch_norm: torch.nn.functional.batch_norm on x [N, C, *]. Per channel, over (N, *):
//   training: mu, var = batch mean and biased variance; y = (x - mu) / sqrt(var + eps) * w + b;
//             running_mean <- (1 - momentum) running_mean + momentum mu,
//             running_var  <- (1 - momentum) running_var + momentum var n / (n - 1) (unbiased)
//   eval:     y = (x - running_mean) / sqrt(running_var + eps) * w + b; running stats unchanged.
// Paper: "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
// Shift" (Ioffe, Szegedy, 2015). Semantics and defaults of PyTorch 1.13 (momentum 0.1, eps 1e-5;
// a training batch with one value per channel is an error). The running statistics are state
// inputs and new outputs (DESIGN rule 9), computed without gradient.
// Composite: autograd gives BN's backward through the batch statistics.
#include "ops/norm/common.h"

namespace lathe {

BatchNormResult batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                           const Tensor& weight, const Tensor& bias, bool training, double momentum,
                           double eps) {
  const char* op = "batch_norm";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 2, "[batch_norm] expected x [N, C, *], got ", x.shape());
  Shape c{x.shape()[1]};
  check_shape(op, "running_mean", running_mean, c);
  check_shape(op, "running_var", running_var, c);
  check_optional_shape(op, "weight", weight, c);
  check_optional_shape(op, "bias", bias, c);
  LATHE_CHECK(eps >= 0, "[batch_norm] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Shape keep = Shape::filled(x.dim(), 1);
  keep[1] = c[0];
  Axes axes = norms::axes_except(x.dim(), 1);
  Tensor xs = norms::as_dtype(x, sd);
  Tensor mu, var, new_mean = running_mean, new_var = running_var;
  if (training) {
    int64_t n = x.numel() / c[0];
    LATHE_CHECK(n > 1, "[batch_norm] training needs more than one value per channel, got x ",
                x.shape());
    mu = mean(xs, axes, true);  // [1, C, 1, ...]
    Tensor d = xs - mu;
    var = mean(d * d, axes, true);  // [1, C, 1, ...]
    NoGradGuard no_grad;
    Tensor m = reshape(mu.detach(), c), v = reshape(var.detach(), c);
    double unbias = static_cast<double>(n) / static_cast<double>(n - 1);
    new_mean = norms::as_dtype((1 - momentum) * norms::as_dtype(running_mean, sd) + momentum * m,
                               running_mean.dtype());
    new_var =
        norms::as_dtype((1 - momentum) * norms::as_dtype(running_var, sd) + (momentum * unbias) * v,
                        running_var.dtype());
  } else {
    mu = reshape(norms::as_dtype(running_mean, sd), keep);
    var = reshape(norms::as_dtype(running_var, sd), keep);
  }
  Tensor y = (xs - mu) * rsqrt(var + eps);  // [N, C, *]
  if (weight.defined()) y = y * reshape(norms::as_dtype(weight, sd), keep);
  if (bias.defined()) y = y + reshape(norms::as_dtype(bias, sd), keep);
  return {norms::as_dtype(y, x.dtype()), new_mean, new_var};
}

LATHE_REGISTER_OPS(batch_norm) {
  registry.add(OpDef("batch_norm", "normalization")
                   .summary("batch normalization (torch.nn.functional.batch_norm)")
                   .paper("Batch Normalization: Accelerating Deep Network Training by Reducing "
                          "Internal Covariate Shift (Ioffe, Szegedy, 2015)")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .input("bias", Kind::floating, kOptional)
                   .output("y")
                   .state("running_mean")
                   .state("running_var")
                   .attr("training", true, "true: batch statistics, running ones updated")
                   .attr("momentum", 0.1, "running <- (1 - momentum) running + momentum batch")
                   .attr("eps", 1e-5, "added to the variance")
                   .run([](const OpCall& c) {
                     BatchNormResult r = batch_norm(
                         c.in("x"), c.in("running_mean"), c.in("running_var"), c.in("weight"),
                         c.in("bias"), c.b("training"), c.f("momentum"), c.f("eps"));
                     return Outputs{r.y, r.running_mean, r.running_var};
                   }));
}

}  // namespace lathe
