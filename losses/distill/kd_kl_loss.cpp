// kd_kl_loss: Hinton's knowledge distillation loss.
//   batchmean (default): L = T^2 (1/B) sum_b sum_c p^t_bc (log p^t_bc - log p^s_bc),
//                        p^t = softmax(t / T), p^s = softmax(s / T)
//   elementwise (CL_SLU): T^2 mean over B x C of the same terms, with the student's first C_t
//                        logits (its old classes) and both log-probabilities as targets
//   cls_kd (cls_KD KDLoss): -alpha T^2 mean_b sum_c p^t log(softmax(s / T)) + (1 - alpha) CE(s, y)
// Paper: "Distilling the Knowledge in a Neural Network" (Hinton, Vinyals, Dean, 2015),
// https://arxiv.org/abs/1503.02531; variants from DHKD distiller_zoo/KD.py, cls_KD
// mmcls/models/dis_losses/kd.py, CL_SLU tools/utils.py (catalog: distillation.md).
// Defaults: T = 4, alpha = 0.5. The teacher is detached here. Gradient (batchmean):
// T (p^s - p^t) / B.
// NOTE: cls_kd takes log(softmax(s / T)) as its reference does (can underflow for extreme
// logits); the other variants use log_softmax. p^t log p^t is 0 where p^t underflows to 0, as
// F.kl_div computes it.
#include "losses/classification/classification.h"
#include "losses/distill/distill.h"
#include "ops/composite.h"

namespace lathe {

Tensor kd_kl_loss(const Tensor& student, const Tensor& teacher, const KdOptions& o) {
  const char* op = "kd_kl_loss";
  check_floating(op, student);
  check_floating(op, teacher);
  LATHE_CHECK(student.dim() == 2 && teacher.dim() == 2 && student.shape()[0] == teacher.shape()[0],
              "[", op, "] student and teacher logits must be [B, C], got ", student.shape(),
              " and ", teacher.shape());
  LATHE_CHECK(o.temperature > 0, "[", op, "] temperature must be positive, got ", o.temperature);
  double t2 = o.temperature * o.temperature;
  Tensor t = teacher.detach() / o.temperature;
  int64_t b = student.shape()[0];
  if (o.variant == "batchmean" || o.variant == "elementwise") {
    Tensor s = student;
    if (o.variant == "elementwise") {
      LATHE_CHECK(student.shape()[1] >= teacher.shape()[1], "[", op, "] elementwise: the student ",
                  student.shape(), " must cover the teacher's classes ", teacher.shape());
      s = narrow(student, 1, 0, teacher.shape()[1]);
    } else {
      LATHE_CHECK(student.shape() == teacher.shape(), "[", op, "] student ", student.shape(),
                  " and teacher ", teacher.shape(), " must match");
    }
    Tensor lt = log_softmax(t, -1), ls = log_softmax(s / o.temperature, -1);  // [B, C]
    Tensor kl = exp(lt) * (lt - ls);
    return o.variant == "batchmean" ? sum(kl) * (t2 / double(b)) : mean(kl) * t2;
  }
  LATHE_CHECK(o.variant == "cls_kd", "[", op, "] variant must be batchmean, elementwise or "
              "cls_kd, got '", o.variant, "'");
  LATHE_CHECK(o.labels.defined(), "[", op, "] cls_kd needs labels");
  LATHE_CHECK(student.shape() == teacher.shape(), "[", op, "] student ", student.shape(),
              " and teacher ", teacher.shape(), " must match");
  Tensor kd = mean(sum(softmax(t, 1) * log(softmax(student / o.temperature, 1)), {1}));
  return kd * (-o.alpha * t2) + cross_entropy(student, o.labels) * (1.0 - o.alpha);
}

LATHE_REGISTER_OPS(kd_kl_loss) {
  registry.add(OpDef("kd_kl_loss", "distillation")
                   .summary("T^2 KL(softmax(teacher/T) || softmax(student/T)), Hinton KD")
                   .paper("Distilling the Knowledge in a Neural Network")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<KdOptions>()
                   .input("labels", &KdOptions::labels, Kind::integer, kOptional)
                   .attr("temperature", &KdOptions::temperature, "softening temperature T > 0")
                   .attr("variant", &KdOptions::variant, "batchmean | elementwise | cls_kd")
                   .attr("alpha", &KdOptions::alpha,
                         "cls_kd only: alpha KD term + (1 - alpha) CE(student, labels)")
                   .output("loss")
                   .own_reduction("batchmean by definition (T^2 KL summed over classes, "
                                  "averaged over the batch)")
                   .run(kd_kl_loss));
}

}  // namespace lathe
