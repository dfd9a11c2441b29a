// hyperbolic_mlr: multinomial logistic regression on the Poincare ball (Hyp-OC's Hyp-CE head)
//   P_k = expmap0(p_k),  A_k = a_k (1 - c|P_k|^2),  lambda_k = 2 / (1 - c|P_k|^2)
//   m_k = (-P_k) (+)_c x                               (Mobius addition, with its +1e-5)
//   logit_k = (lambda_k |A_k| / sqrt(c)) asinh(2 sqrt(c) <m_k, A_k> / (|A_k| (1 - c|m_k|^2)))
// x [..., D] ball points, a and p [C, D] raw per-class parameters -> logits [..., C];
// Hyp-CE is cross_entropy(logits, y).
// Paper: "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing" (catalog:
// layer.md, code Kartik-3004/hyp-oc). Checked against that repo's hyptorch/nn.py
// (HyperbolicMLR.forward and _hyperbolic_softmax) and pmath.py (_mobius_addition_batch,
// _hyperbolic_softmax, expmap0, Arsinh), read through the code index: the formula above, with
// the 1e-5 in the Mobius denominator and the conformal factor applied to a before the norms.
// NOTE numerical safety, where we differ from that code (geoopt's habits, see
// ops/layer/README.md): x and P are projected into radius (1 - 1e-3)/sqrt(c) (poincare_project:
// the identity for points inside, which is what Hyp-OC's ToPoincare feeds; the official
// HyperbolicMLR does not project P, so in f32 a |p| >= ~9/sqrt(c) makes tanh round to 1,
// 1 - c|P|^2 = 0 and the logit 0 * inf = NaN); 1 - c|m|^2 is clamped >= 1e-15 and the |A| that
// divides is clamped >= 1e-5 (geoopt's clamp_abs; at a = 0 the logit is 0, not 0/0). The
// official Arsinh clamps x + sqrt(1 + x^2) >= 1e-5 before the log (so asinh saturates at
// -11.5 below x ~ -5e4, and loses digits for negative x); we use the exact asinh, whose
// backward g / sqrt(1 + x^2) is the official rule.
// Defaults: c 0.1. Module: nn::HyperbolicMLR (models/layer/layer.h). Composite.
#include <cmath>

#include "ops/composite.h"
#include "ops/hyperbolic/common.h"
#include "ops/hyperbolic/hyperbolic.h"
#include "ops/layer/layer.h"

namespace lathe {

Tensor hyperbolic_mlr(const Tensor& x, const Tensor& a, const Tensor& p, double c) {
  const char* op = "hyperbolic_mlr";
  check_floating(op, "x", x);
  check_floating(op, "a", a);
  check_floating(op, "p", p);
  hyperbolic::check_curvature(op, c);
  LATHE_CHECK(a.dim() == 2, "[", op, "] a must be [C, D], got ", a.shape());
  check_same_shape(op, "a", a, "p", p);
  LATHE_CHECK(x.dim() >= 1 && x.shape()[x.dim() - 1] == a.shape()[1], "[", op,
              "] x must be [..., D] with D = ", a.shape()[1], " (the columns of a), got ",
              x.shape());
  double sc = std::sqrt(c);
  Tensor pp = poincare_project(poincare_expmap0(p, c), c);              // [C, D]
  Tensor xb = unsqueeze(poincare_project(x, c), -2);                    // [..., 1, D]
  Tensor conformal = 1.0 - c * hyperbolic::sq_norm(pp);                 // [C, 1]
  Tensor aa = a * conformal;                                            // [C, D]
  Tensor lambda = 2.0 / squeeze(conformal, {-1});                       // [C]
  Tensor a_norm = squeeze(hyperbolic::row_norm(aa), {-1});              // [C]
  Tensor k = lambda * a_norm / sc;                                      // [C]
  Tensor m = hyperbolic::mobius_add_rows(-pp, xb, c);                   // [..., C, D]
  Tensor num = 2.0 * sc * sum(m * aa, {-1});                            // [..., C]
  Tensor den = squeeze(hyperbolic::clamped_norm(aa), {-1}) *
               squeeze(clamp(1.0 - c * hyperbolic::sq_norm(m), 1e-15), {-1});  // [..., C]
  return k * asinh(num / den);                                          // [..., C]
}

LATHE_REGISTER_OPS(hyperbolic_mlr) {
  registry.add(OpDef("hyperbolic_mlr", "layer")
                   .summary("hyperbolic multinomial logistic regression logits on the Poincare "
                            "ball")
                   .paper("Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing")
                   .input("x")
                   .input("a")
                   .input("p")
                   .attr("c", 0.1, "negative curvature c > 0")
                   .output("logits")
                   .run([](const OpCall& c) {
                     return Outputs{hyperbolic_mlr(c.in("x"), c.in("a"), c.in("p"), c.f("c"))};
                   }));
}

}  // namespace lathe
