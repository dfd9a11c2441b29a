// gaussian_nll_loss: l = 0.5 (log v + (x - t)^2 / v) (+ 0.5 log(2 pi) when full), the negative
// log-likelihood of t under N(x, v), PyTorch's F.gaussian_nll_loss. The variance v is shaped
// like the input x (heteroscedastic), like x without its last dim (unsqueezed there), or like x
// with last dim 1; the target broadcasts to x. Reduction 'mean' (every element, default), 'sum',
// 'none' (the input's shape).
// Source: torch.nn.functional.gaussian_nll_loss (PyTorch 1.13); Nix and Weigend, "Estimating the
// mean and variance of the target probability distribution" (1994). Not in the catalog.
// Defaults: full false, eps 1e-6 (must be > 0), reduction 'mean'.
// The variance is clamped at eps for stability with no effect on the gradient, as PyTorch's
// in-place clamp under no_grad: v_c = v + (clamp(v, eps) - v).detach(), so dl/dv is the
// derivative at v_c passed straight to v (also where v < eps). Negative variances are an error.
// Gradients (autograd): dl/dx = (x - t) / v_c, dl/dv = 0.5 (1 / v_c - (x - t)^2 / v_c^2); the
// target is differentiable, as in PyTorch. Composite.
#include <cmath>

#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNllLossOptions& o) {
  const char* op = "gaussian_nll_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_floating(op, "var", var);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.eps > 0, "[", op, "] eps must be > 0, got ", o.eps);
  LATHE_CHECK(broadcast_shapes(target.shape(), input.shape(), op) == input.shape(), "[", op,
              "] target ", target.shape(), " must broadcast to the input ", input.shape());
  Shape x = input.shape();
  Shape lead = x;
  if (x.size() > 0) lead.erase(static_cast<int>(x.size()) - 1);
  Tensor v = var;
  if (var.shape() != x) {
    Shape var_lead = var.shape();
    if (var.dim() > 0) var_lead.erase(var.dim() - 1);
    bool homoscedastic = x.size() > 0 && var.shape() == lead;
    bool last_one = x.size() > 0 && var.dim() == input.dim() && var_lead == lead &&
                    var.shape()[var.dim() - 1] == 1;
    LATHE_CHECK(homoscedastic || last_one, "[", op, "] var ", var.shape(),
                " must have the input's shape ", x, ", or it without the last dim, or with "
                "last dim 1");
    if (homoscedastic) v = unsqueeze(var, -1);
  }
  if (var.numel() > 0) {
    NoGradGuard no_grad;
    double lo = min(var.detach()).item();
    LATHE_CHECK(lo >= 0, "[", op, "] var must be >= 0, got a value ", lo);
  }
  Tensor v_c = v + (clamp(v, o.eps) - v).detach();              // clamped, gradient straight
  Tensor d = input - target;
  Tensor loss = 0.5 * (log(v_c) + d * d / v_c);
  if (o.full) loss = loss + 0.5 * std::log(2.0 * M_PI);
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(gaussian_nll_loss) {
  registry.add(OpDef("gaussian_nll_loss", "regression")
                   .summary("Gaussian negative log-likelihood with a predicted variance "
                            "(F.gaussian_nll_loss)")
                   .paper("torch.nn.functional.gaussian_nll_loss (PyTorch parity); Estimating "
                          "the mean and variance of the target probability distribution")
                   .input("input")
                   .input("target")
                   .input("var")
                   .options<GaussianNllLossOptions>()
                   .attr("full", &GaussianNllLossOptions::full, "add 0.5 log(2 pi)")
                   .attr("eps", &GaussianNllLossOptions::eps,
                         "> 0, the variance is clamped at it (gradient passes straight)")
                   .attr("reduction", &GaussianNllLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(gaussian_nll_loss));
}

}  // namespace lathe
