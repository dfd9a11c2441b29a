// nkd_loss: normalized knowledge distillation, student logits s [B, C], teacher logits t [B, C]
// (detached), targets y [B] (or soft labels [B, C], reduced to their argmax):
//   L_t  = -mean_b softmax(t)_{b,y} log_softmax(s)_{b,y}                    (temperature 1)
//   L_nt = -gamma temp^2 mean_b sum_{k != y} softmax(t^{-y} / temp)_k log_softmax(s^{-y} / temp)_k,
// t^{-y}, s^{-y} the C - 1 non-target logits (the target column dropped, then renormalized);
// L = L_t + L_nt. The student's own CE is added by the caller.
// Paper: "From Knowledge Distillation to Self-Knowledge Distillation: A Unified Approach with
// Normalized Loss and Customized Soft Labels" (Yang et al., ICCV 2023); code yzd-v/cls_KD
// mmcls/models/dis_losses/nkd.py (catalog: distillation.md).
// Defaults: temp 1, gamma 1.5. Reduction: mean over the batch.
// NOTE: NKDLoss detaches only softmax(t)_y; lathe detaches the whole teacher (the reference
// computes the teacher under no_grad, so the two agree in its pipeline). The older copy's mask
// (scatter 1, keeping every column) is the bug the catalog warns of; the target column is
// dropped here by a gather of the non-target ids. C = 2 leaves one non-target class: L_nt = 0.
// Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor nkd_loss(const Tensor& student, const Tensor& teacher, const NkdOptions& o) {
  const char* op = "nkd_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  int64_t b = student.shape()[0], c = student.shape()[1];
  LATHE_CHECK(c >= 2, "[", op, "] needs at least 2 classes, got ", c);
  check_temperature(op, o.temp);
  LATHE_CHECK(o.target.defined(), "[", op, "] targets are missing");
  Tensor labels = o.target;
  if (is_floating(labels.dtype())) {
    LATHE_CHECK(labels.shape() == student.shape(), "[", op, "] soft labels must be [B, C] ",
                student.shape(), ", got ", labels.shape());
    labels = argmax(labels, 1);
  }
  Tensor y = check_class_targets(op, labels, c);                          // [B]
  LATHE_CHECK(y.shape()[0] == b, "[", op, "] targets ", y.shape(), " do not match the batch ",
              student.shape());
  Tensor t = teacher.detach();
  Tensor yi = unsqueeze(y, 1);                                            // [B, 1]
  Tensor loss_t = -mean(gather(softmax(t, 1), yi, 1) * gather(log_softmax(student, 1), yi, 1));
  Tensor idx = non_target_index(y, c);                                    // [B, C-1]
  Tensor tn = softmax(gather(t, idx, 1) / o.temp, 1);                     // [B, C-1]
  Tensor sn = log_softmax(gather(student, idx, 1) / o.temp, 1);           // [B, C-1]
  Tensor loss_nt = mean(sum(tn * sn, {1})) * (-o.gamma * o.temp * o.temp);
  return loss_t + loss_nt;
}

LATHE_REGISTER_OPS(nkd_loss) {
  registry.add(OpDef("nkd_loss", "distillation")
                   .summary("normalized KD: teacher-weighted target CE plus KD among the "
                            "renormalized non-target classes")
                   .paper("From Knowledge Distillation to Self-Knowledge Distillation: A Unified "
                          "Approach with Normalized Loss and Customized Soft Labels")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<NkdOptions>()
                   .input("target", &NkdOptions::target, Kind::any, kNoGrad)
                   .attr("temp", &NkdOptions::temp, "temperature of the non-target term, > 0")
                   .attr("gamma", &NkdOptions::gamma, "weight of the non-target term")
                   .output("loss")
                   .own_reduction("mean over the batch of the two terms (no per-sample mode)")
                   .run(nkd_loss));
}

}  // namespace lathe
