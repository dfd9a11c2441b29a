#include "models/optim/sso_surrogate.h"

#include "core/autograd.h"
#include "ops/ops.h"

namespace lathe::optim {

namespace {

void check_targets(const char* op, const Tensor& z, const Tensor& z_t, const Tensor& g_t,
                   double eta) {
  LATHE_CHECK(z.defined() && z_t.defined() && g_t.defined(), "[", op, "] z, z_t and g_t are "
              "required");
  LATHE_CHECK(z.shape() == z_t.shape() && z.shape() == g_t.shape(), "[", op, "] z, z_t and g_t "
              "must have one shape, got ", z.shape(), ", ", z_t.shape(), ", ", g_t.shape());
  LATHE_CHECK(eta > 0.0, "[", op, "] eta must be > 0, got ", eta);
}

}  // namespace

Tensor sso_surrogate(const Tensor& z, const Tensor& z_t, const Tensor& g_t, double eta) {
  check_targets("sso_surrogate", z, z_t, g_t, eta);
  Tensor d = z - z_t.detach();                                  // [n, m]
  return mean(eta * g_t.detach() * z + d * d);
}

Tensor sso_surrogate_paper(const Tensor& z, const Tensor& z_t, const Tensor& loss_t,
                           const Tensor& g_t, double eta) {
  check_targets("sso_surrogate_paper", z, z_t, g_t, eta);
  Tensor d = z - z_t.detach();                                  // [n, m]
  return loss_t.detach() + sum(g_t.detach() * d) + sum(d * d) / (2.0 * eta);
}

double sso_step(const std::vector<Tensor>& params, const std::function<Tensor()>& predict,
                const std::function<Tensor(const Tensor&)>& loss, const SSOOptions& o) {
  LATHE_CHECK(!params.empty(), "[sso_step] no parameters");
  LATHE_CHECK(o.inner_steps >= 1 && o.inner_lr > 0.0, "[sso_step] need inner_steps >= 1 and "
              "inner_lr > 0, got ", o.inner_steps, ", ", o.inner_lr);
  Tensor z_t;
  {
    NoGradGuard no_grad;
    z_t = predict();
  }
  Tensor z = z_t.clone();
  z.requires_grad_();
  Tensor l = loss(z);
  LATHE_CHECK(l.numel() == 1, "[sso_step] loss(z) must return one value, got ", l.shape());
  Tensor g_t = grad({l}, {z})[0].detach();                      // dl/dz at z_t
  for (int64_t i = 0; i < o.inner_steps; ++i) {
    std::vector<Tensor> grads = grad({sso_surrogate(predict(), z_t, g_t, o.eta)}, params);
    NoGradGuard no_grad;
    for (size_t j = 0; j < params.size(); ++j) {
      Tensor p = params[j];
      p.sub_(grads[j] * o.inner_lr);
    }
  }
  return l.item();
}

}  // namespace lathe::optim
