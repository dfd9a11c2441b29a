// poisson_nll_loss: the negative log-likelihood of counts t under a Poisson rate, PyTorch's
// F.poisson_nll_loss:
//   log_input:  l = exp(x) - t x                  (x = log rate)
//   otherwise:  l = x - t log(x + eps)            (x = rate)
//   full:       l += t log t - t + 0.5 log(2 pi t) where t > 1 (Stirling's approximation of
//               log t!, 0 for t <= 1)
// input and target have the same shape. Reduction 'mean' (every element, default), 'sum', 'none'.
// Source: torch.nn.functional.poisson_nll_loss (PyTorch 1.13); not in the catalog (issue 17).
// Defaults: log_input true, full false, eps 1e-8 (must be > 0 here; PyTorch does not check),
// reduction 'mean'.
// Gradients (autograd): exp(x) - t (log_input) or 1 - t / (x + eps); the target is
// differentiable, as in PyTorch's composite. Composite.
#include <cmath>

#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                        const PoissonNllLossOptions& o) {
  const char* op = "poisson_nll_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.eps > 0, "[", op, "] eps must be > 0, got ", o.eps);
  Tensor loss = o.log_input ? exp(input) - target * input : input - target * log(input + o.eps);
  if (o.full) {
    Tensor big = gt(target, 1.0);
    Tensor t = where(big, target, scalar_like(2.0, target));  // log stays finite where masked
    Tensor stirling = t * log(t) - t + 0.5 * log(2.0 * M_PI * t);
    loss = loss + where(big, stirling, scalar_like(0.0, stirling));
  }
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(poisson_nll_loss) {
  registry.add(OpDef("poisson_nll_loss", "regression")
                   .summary("Poisson negative log-likelihood of a (log) rate against counts "
                            "(F.poisson_nll_loss)")
                   .paper("torch.nn.functional.poisson_nll_loss (PyTorch parity)")
                   .input("input")
                   .input("target")
                   .options<PoissonNllLossOptions>()
                   .attr("log_input", &PoissonNllLossOptions::log_input,
                         "input is log(rate): exp(x) - t x; else x - t log(x + eps)")
                   .attr("full", &PoissonNllLossOptions::full,
                         "add Stirling's t log t - t + 0.5 log(2 pi t) where t > 1")
                   .attr("eps", &PoissonNllLossOptions::eps, "> 0, added to the rate in the log")
                   .attr("reduction", &PoissonNllLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(poisson_nll_loss));
}

}  // namespace lathe
