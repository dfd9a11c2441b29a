// gradient_norm_penalty: IGNITE's surrogate sharpness constraint for offline optimization. A
// surrogate h_theta is fit by its regression loss l(theta) under a bound on its sharpness, the
// largest change of its prediction under a rho-perturbation of its parameters, approximated by
//   G(theta) = rho ||grad_theta h(theta)||_2        (h: the prediction, not the loss),
// through the Lagrangian L = l + lam (G - eps) with dual ascent lam <- max(0, lam + eta (G -
// eps)) (ignite_dual_step). The op takes l and the gradients grad_theta h, which the caller
// computes with create_graph (surrogate_grads), so that L's gradient holds the Hessian-vector
// product; it returns L and G.
// Paper: "Incorporating Surrogate Gradient Norm to Improve Offline Optimization Techniques"
// (IGNITE, Dao et al., NeurIPS 2024; catalog: regularizer.md, confidence memory).
// Checked (this round): no code by the authors was found in the public code and pages corpora
// searched; the form above (prediction gradient, rho-scaled norm, Lagrangian with dual ascent)
// is the catalog's reading, which lathe follows (unverified: the aggregation of the prediction
// over the offline inputs; the tests use a batch mean as the catalog's oracle does).
// Defaults: lam 1, eps 0, rho 1 (eps and eta are the method's hyperparameters).
// NOTE: G = 0 (a zero gradient) has no gradient of the norm; lathe takes sqrt(max(|g|^2,
// 1e-24)) there, which gives a zero gradient instead of NaN.
// Reduction: a scalar by definition.
// Gradient (autograd): 1 into l, lam rho g / ||g|| into each gradient tensor.
// Composite (the helpers use the engine's grad with create_graph).
#include <algorithm>

#include "core/autograd.h"
#include "losses/regularizer/regularizer_extra.h"
#include "ops/composite.h"

namespace lathe {

GradientNormPenaltyResult gradient_norm_penalty(const Tensor& loss,
                                                const std::vector<Tensor>& grads,
                                                const GradientNormPenaltyOptions& o) {
  const char* op = "gradient_norm_penalty";
  check_floating(op, "loss", loss);
  LATHE_CHECK(loss.numel() == 1, "[", op, "] loss must hold one value, got shape ",
              loss.shape());
  LATHE_CHECK(!grads.empty(), "[", op, "] grads is empty: pass the prediction's gradients");
  LATHE_CHECK(o.lam >= 0, "[", op, "] lam must be >= 0, got ", o.lam);
  LATHE_CHECK(o.rho > 0, "[", op, "] rho must be > 0, got ", o.rho);
  Tensor sq;
  for (const Tensor& g : grads) {
    check_floating(op, "grads", g);
    Tensor s = sum(g * g);
    sq = sq.defined() ? sq + s : s;
  }
  Tensor sharp = o.rho * sqrt(maximum(sq, 1e-24));                          // []
  return {reshape(loss, {}) + o.lam * (sharp - o.eps), sharp};
}

std::vector<Tensor> surrogate_grads(const Tensor& pred, const std::vector<Tensor>& params) {
  LATHE_CHECK(pred.defined() && pred.numel() == 1,
              "[gradient_norm_penalty] pred must hold one value (aggregate the predictions)");
  GradOptions g;
  g.create_graph = true;
  return grad({reshape(pred, {})}, params, {}, g);
}

double ignite_dual_step(double lam, double sharpness, double eps, double eta) {
  return std::max(0.0, lam + eta * (sharpness - eps));
}

LATHE_REGISTER_OPS(gradient_norm_penalty) {
  using O = GradientNormPenaltyOptions;
  registry.add(OpDef("gradient_norm_penalty", "regularizer")
                   .summary("IGNITE's Lagrangian loss + lam (rho ||grad h|| - eps) of a "
                            "surrogate's loss and prediction gradients")
                   .paper("Incorporating Surrogate Gradient Norm to Improve Offline "
                          "Optimization Techniques")
                   .input("loss")
                   .input("grads", Kind::floating, kVariadic)
                   .options<O>()
                   .attr("lam", &O::lam, "Lagrange multiplier, >= 0")
                   .attr("eps", &O::eps, "sharpness budget")
                   .attr("rho", &O::rho, "perturbation radius, > 0")
                   .output("loss")
                   .output("sharpness")
                   .own_reduction("a scalar by definition (the Lagrangian)")
                   .run([](const OpCall& c) {
                     GradientNormPenaltyResult r =
                         gradient_norm_penalty(c.in("loss"), c.ins("grads"), c.options<O>());
                     return Outputs{r.loss, r.sharpness};
                   }));
}

}  // namespace lathe
