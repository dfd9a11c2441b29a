// crkd_loss: class-relation knowledge distillation for novel class discovery, teacher
// (a frozen supervised model) logits over the K_l known classes z_old [V, H, B, K_l] (views,
// heads, unlabeled samples, classes; detached) and the student's z_new [V, H, B, K] over the
// K = K_l + K_u known and novel classes:
//   P = softmax(z_old / (tau T)),  Q = softmax(z_new[..., :K_l] / (tau T)),
//   w = sum_{c < K_l} softmax(z_new / (tau T))_c,  w <- w / mean(w)   (learnable: not detached),
//   L_h = mean_{views, samples} sum_c -log Q_c P_c T^2 w,   one loss per head: [H],
// reduced over the heads: 'mean' (default, what the training loop adds with weight alpha),
// 'sum', or 'none' (the reference's per-head vector).
// Paper: "Class-relation Knowledge Distillation for Novel Class Discovery" (Gu et al., ICCV
// 2023); code kleinzcy/Cr-KD-NCD model/losses.py (KD), rKD.py (catalog: distillation.md).
// Defaults: tau 0.1, T 4 (the caller weights the head mean by alpha 0.1).
// NOTE: input order follows the catalog's signature (z_old, z_new), the teacher first; -log Q
// is a log_softmax (the reference takes log of a softmax: the same value without underflow).
// w's mean runs over every view, head and sample, as the reference. Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor crkd_loss(const Tensor& teacher, const Tensor& student, const CrkdOptions& o) {
  const char* op = "crkd_loss";
  check_floating(op, "teacher", teacher);
  check_floating(op, "student", student);
  LATHE_CHECK(teacher.dim() == 4 && student.dim() == 4, "[", op, "] teacher and student logits "
              "must be [V, H, B, K], got ", teacher.shape(), " and ", student.shape());
  int64_t kl = teacher.shape()[3], k = student.shape()[3];
  LATHE_CHECK(o.n_lab == -1 || o.n_lab == kl, "[", op, "] n_lab ", o.n_lab,
              " must be the teacher's class count ", kl);
  bool same = true;
  for (int i = 0; i < 3; ++i) same = same && teacher.shape()[i] == student.shape()[i];
  LATHE_CHECK(same && kl >= 1 && kl <= k, "[", op, "] the teacher ", teacher.shape(),
              " must share the student's views, heads and batch ", student.shape(),
              " and have at most its classes");
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.tau > 0 && o.T > 0, "[", op, "] tau and temperature T must be positive, got ",
              o.tau, " and ", o.T);
  double scale = o.tau * o.T;
  Tensor p = softmax(teacher.detach() / scale, -1);                       // [V, H, B, K_l]
  Tensor z = student / scale;                                             // [V, H, B, K]
  Tensor log_q = log_softmax(narrow(z, 3, 0, kl), -1);                    // [V, H, B, K_l]
  Tensor w = sum(narrow(softmax(z, -1), 3, 0, kl), {3}, true);            // [V, H, B, 1]
  w = w / mean(w);
  Tensor per = sum(-log_q * p, {3}, true) * w * (o.T * o.T);              // [V, H, B, 1]
  return apply_reduction(mean(squeeze(per, {3}), {0, 2}), reduction);     // [H]
}

LATHE_REGISTER_OPS(crkd_loss) {
  registry.add(OpDef("crkd_loss", "distillation")
                   .summary("class-relation KD: known-class KD weighted by the student's "
                            "known-class mass, one loss per head")
                   .paper("Class-relation Knowledge Distillation for Novel Class Discovery")
                   .input("teacher", Kind::floating, kNoGrad)
                   .input("student")
                   .options<CrkdOptions>()
                   .attr("n_lab", &CrkdOptions::n_lab,
                         "known classes (the teacher's count; -1 takes it from the teacher)")
                   .attr("tau", &CrkdOptions::tau, "logit scale tau > 0")
                   .attr("T", &CrkdOptions::T, "temperature > 0")
                   .attr("reduction", &CrkdOptions::reduction,
                         "over the heads: none ([H]) | mean | sum")
                   .output("loss")
                   .run(crkd_loss));
}

}  // namespace lathe
