// binary_kl_loss: per-class Bernoulli KL of student logits s [B, C] from teacher logits
// t [B, C] (detached):
//   q^s = clamp(sigmoid(s / T), eps, 1 - eps), q^t = clamp(sigmoid(t / T), eps, 1 - eps),
//   L = T^2 sum_{b,c} [q^t log(q^t / q^s) + (1 - q^t) log((1 - q^t) / (1 - q^s))] / B.
// clamp = false: the same KL through logsigmoid, no clamp (stable, agrees away from
// saturation). Paper: "Dual-Head Knowledge Distillation: Enhancing Logits Utilization with an
// Auxiliary Head" (Yang et al., 2024); code penghui-yang/DHKD distiller_zoo/BinaryKL.py
// (catalog: distillation.md). Defaults: T 2, eps 1e-8, clamp true. Reduction: sum / B.
// Gradient: T (q^s - q^t) / B, 0 where the clamp holds (|s / T| > ~18).
// NOTE: in f32, 1 - 1e-8 rounds to 1, so a saturated sigmoid gives log(1 - q) = -inf and a NaN
// loss, as the reference does in f32; clamp = false (logsigmoid) has no such limit. Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor binary_kl_loss(const Tensor& student, const Tensor& teacher, const BinaryKlOptions& o) {
  const char* op = "binary_kl_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  LATHE_CHECK(o.eps >= 0 && o.eps < 0.5, "[", op, "] eps must lie in [0, 0.5), got ", o.eps);
  double scale = o.T * o.T / double(student.shape()[0]);
  Tensor zs = student / o.T, zt = teacher.detach() / o.T;                 // [B, C]
  Tensor kl;                                                              // [B, C]
  if (o.clamp) {
    Tensor qs = clamp(sigmoid(zs), o.eps, 1.0 - o.eps);
    Tensor qt = clamp(sigmoid(zt), o.eps, 1.0 - o.eps);
    kl = qt * (log(qt) - log(qs)) + (1.0 - qt) * (log(1.0 - qt) - log(1.0 - qs));
  } else {
    // log sigmoid(z) = -softplus(-z), log(1 - sigmoid(z)) = -softplus(z)
    Tensor qt = sigmoid(zt);
    kl = qt * (softplus(-zs) - softplus(-zt)) + (1.0 - qt) * (softplus(zs) - softplus(zt));
  }
  return sum(kl) * scale;
}

LATHE_REGISTER_OPS(binary_kl_loss) {
  registry.add(OpDef("binary_kl_loss", "distillation")
                   .summary("T^2 per-class Bernoulli KL of sigmoid(teacher/T) and "
                            "sigmoid(student/T), sum / B")
                   .paper("Dual-Head Knowledge Distillation: Enhancing Logits Utilization with "
                          "an Auxiliary Head")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<BinaryKlOptions>()
                   .attr("T", &BinaryKlOptions::T, "temperature > 0")
                   .attr("eps", &BinaryKlOptions::eps, "clamp of the sigmoids (clamp only)")
                   .attr("clamp", &BinaryKlOptions::clamp,
                         "true: clamped sigmoids (DHKD); false: logsigmoid form")
                   .output("loss")
                   .own_reduction("sum over classes and batch divided by B, as DHKD")
                   .run(binary_kl_loss));
}

}  // namespace lathe
