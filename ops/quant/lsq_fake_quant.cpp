// lsq_fake_quant: learned-step-size fake quantization as EQ-Net's quantizers use it
//   s' = gs(s, g) + 1e-6         b' = 0 (symmetric, beta absent) or gs(beta, g)
//   q = clamp((x - b') / s', Qn, Qp)          x_hat = round_ste(q) s' + b'
// gs(p, g) = (|p| - g|p|).detach() + g|p| (value |p|, gradient g sign(p)); round_ste(q) =
// q + (round(q) - q).detach() (value round(q), gradient 1). [Qn, Qp] = [-2^(b-1), 2^(b-1) - 1],
// or [0, 2^b - 1] with all_positive (a tensor that was >= 0 at initialization, after a relu).
// g: 1/sqrt(Qp numel(x)) per tensor (the default, g <= 0); per-channel weights pass
// g = 2/sqrt(Qp numel(x)/x.size(1)) themselves (the reference divides by size(1)).
// Paper: "EQ-Net: Elastic Quantization Neural Networks" (catalog: reparam.md, after LSQ).
// Checked against the official code, xuke225/EQ-Net module/base_lsq.py (grad_scale, round_ste,
// LSQQuantizerForACT / LSQQuantizerForWeight.forward): the same formulas, including the
// asymmetric zero point entering as |beta| (a quirk of the reference's grad_scale, kept) and the
// 1e-6 added to the scale. The elastic sets of (s, beta) per bit-width and their grid-search
// initialization belong to the module that owns them, not to this op.
// Backward (defined, the STE): dx_hat/dx = 1 inside [Qn, Qp], 0 outside (clamp passes it at
// the bounds); dx_hat/ds' = round(q) - q inside, Qn or Qp outside; dx_hat/db' = 0 inside, 1
// outside; times g sign for s and beta. Written with detach, so autograd gives it and its
// derivative (double backward: the derivative of this surrogate). Declared custom_backward.
#include <cmath>

#include "ops/composite.h"
#include "ops/quant/quant.h"

namespace lathe {

namespace {
// Value |p|, gradient g sign(p).
Tensor grad_scaled_abs(const Tensor& p, double g) {
  Tensor a = abs(p);
  return (a - a * g).detach() + a * g;
}
}  // namespace

Tensor lsq_fake_quant(const Tensor& x, const Tensor& s, const Tensor& beta, int64_t bits,
                      bool all_positive, double g) {
  const char* op = "lsq_fake_quant";
  check_floating(op, "x", x);
  check_floating(op, "s", s);
  LATHE_CHECK(bits >= 2 && bits <= 16, "[", op, "] bits must be in [2, 16], got ", bits);
  LATHE_CHECK(x.numel() > 0, "[", op, "] x is empty");
  auto check_broadcast = [&](const char* name, const Tensor& t) {
    LATHE_CHECK(broadcast_shapes(t.shape(), x.shape(), op) == x.shape(), "[", op, "] ", name,
                " ", t.shape(), " must broadcast to x ", x.shape());
  };
  check_broadcast("s", s);
  if (beta.defined()) {
    check_floating(op, "beta", beta);
    check_broadcast("beta", beta);
  }
  double qn = all_positive ? 0.0 : -std::pow(2.0, static_cast<double>(bits - 1));
  double qp = all_positive ? std::pow(2.0, static_cast<double>(bits)) - 1.0
                           : std::pow(2.0, static_cast<double>(bits - 1)) - 1.0;
  if (g <= 0) g = 1.0 / std::sqrt(qp * static_cast<double>(x.numel()));
  Tensor step = grad_scaled_abs(s, g) + 1e-6;                         // like s
  Tensor q = (beta.defined() ? x - grad_scaled_abs(beta, g) : x) / step;   // [...] like x
  q = clamp(q, qn, qp);
  Tensor rounded = q + (round(q) - q).detach();                       // round_ste
  Tensor out = rounded * step;                                        // [...]
  return beta.defined() ? out + grad_scaled_abs(beta, g) : out;
}

LATHE_REGISTER_OPS(lsq_fake_quant) {
  registry.add(OpDef("lsq_fake_quant", "quant")
                   .summary("LSQ fake quantization with EQ-Net's gradient-scaled step and zero "
                            "point")
                   .paper("EQ-Net: Elastic Quantization Neural Networks")
                   .input("x")
                   .input("s")
                   .input("beta", Kind::floating, kOptional)
                   .attr("bits", 4, "bit-width b: [Qn, Qp] = [-2^(b-1), 2^(b-1) - 1]")
                   .attr("all_positive", false, "use [0, 2^b - 1] (non-negative tensors)")
                   .attr("g", -1.0, "gradient scale of s and beta; <= 0: 1/sqrt(Qp numel(x))")
                   .custom_backward("the LSQ straight-through estimator (round passes the "
                                    "gradient; s and beta gradients scaled by g), written with "
                                    "detach: double backward is the surrogate's derivative")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{lsq_fake_quant(c.in("x"), c.in("s"), c.in("beta"),
                                                   c.i("bits"), c.b("all_positive"), c.f("g"))};
                   }));
}

}  // namespace lathe
