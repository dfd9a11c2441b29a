// binary_kl_norm_loss: DHKD's loss, the KL from Bernoulli(1/2) to Bernoulli(d) per logit,
// student logits s [B, C], teacher logits t [B, C] (detached):
//   d = clamp(sigmoid((s - t) / T), eps, 1 - eps),
//   L = T^2 sum_{b,c} [1/2 (log 1/2 - log d) + 1/2 (log 1/2 - log(1 - d))] / B,
// zero iff s = t. Paper: "Dual-Head Knowledge Distillation: Enhancing Logits Utilization with
// an Auxiliary Head" (Yang et al., 2024); code penghui-yang/DHKD distiller_zoo/BinaryKLNorm.py
// (catalog: distillation.md). Defaults: T 2, eps 1e-8. Reduction: sum / B.
// Gradient: T (d - 1/2) / B (0 where the clamp holds). Composite.
#include <cmath>

#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor binary_kl_norm_loss(const Tensor& student, const Tensor& teacher,
                           const BinaryKlOptions& o) {
  const char* op = "binary_kl_norm_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  LATHE_CHECK(o.eps >= 0 && o.eps < 0.5, "[", op, "] eps must lie in [0, 0.5), got ", o.eps);
  Tensor d = clamp(sigmoid((student - teacher.detach()) / o.T), o.eps, 1.0 - o.eps);  // [B, C]
  Tensor kl = (log(d) + log(1.0 - d)) * -0.5 - std::log(2.0);                          // [B, C]
  return sum(kl) * (o.T * o.T / double(student.shape()[0]));
}

LATHE_REGISTER_OPS(binary_kl_norm_loss) {
  registry.add(OpDef("binary_kl_norm_loss", "distillation")
                   .summary("T^2 KL(Bernoulli(1/2) || Bernoulli(sigmoid((student - teacher)/T))) "
                            "per logit, sum / B")
                   .paper("Dual-Head Knowledge Distillation: Enhancing Logits Utilization with "
                          "an Auxiliary Head")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<BinaryKlOptions>()
                   .attr("T", &BinaryKlOptions::T, "temperature > 0")
                   .attr("eps", &BinaryKlOptions::eps, "clamp of d")
                   .output("loss")
                   .own_reduction("sum over classes and batch divided by B, as DHKD")
                   .run(binary_kl_norm_loss));
}

}  // namespace lathe
