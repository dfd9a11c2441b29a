#include "models/optim/clip.h"

#include <cmath>

#include "core/autograd.h"
#include "ops/ops.h"

namespace lathe::optim {

namespace {
// ||g||_p as a 0-d tensor on g's device.
Tensor norm_of(const Tensor& g, double p) {
  if (std::isinf(p)) return max(abs(g));
  if (p == 2.0) return sqrt(sum(g * g));
  if (p == 1.0) return sum(abs(g));
  return pow(sum(pow(abs(g), p)), 1.0 / p);
}
}  // namespace

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type,
                      bool error_if_nonfinite) {
  LATHE_CHECK(max_norm >= 0.0, "[clip_grad_norm] max_norm must be >= 0, got ", max_norm);
  LATHE_CHECK(norm_type > 0.0, "[clip_grad_norm] norm_type must be > 0 (or infinity), got ",
              norm_type);
  NoGradGuard no_grad;
  std::vector<Tensor> grads;
  for (const Tensor& p : params)
    if (p.defined() && p.grad().defined()) grads.push_back(p.grad().detach());
  if (grads.empty()) return 0.0;

  Device device = grads[0].device();
  std::vector<Tensor> norms;  // each []
  for (const Tensor& g : grads) norms.push_back(norm_of(g, norm_type).to(device).to(DType::f64));
  double total = norm_of(stack(norms), norm_type).item();
  LATHE_CHECK(!error_if_nonfinite || std::isfinite(total),
              "[clip_grad_norm] the total norm of "
              "order ",
              norm_type, " of the gradients is non-finite (", total, ")");

  double coef = max_norm / (total + 1e-6);
  if (coef < 1.0 || std::isnan(coef)) {
    for (const Tensor& p : params)
      if (p.defined() && p.grad().defined()) {
        Tensor handle = p;
        handle.set_grad(p.grad().detach() * coef);
      }
  }
  return total;
}

}  // namespace lathe::optim
