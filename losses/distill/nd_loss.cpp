// nd_loss: KD++'s norm-and-direction loss, student and teacher penultimate embeddings
// s [B, D], t [B, D] (detached), teacher class-mean embeddings centers [C, D] (constants,
// computed offline over the training set), targets y [B]:
//   e_b = normalize(centers[y_b]),  L = factor mean_b (1 - <s_b, e_b> / max(||s_b||, ||t_b||)).
// Minimizing it lengthens the student's projection on its class-mean direction up to the
// larger of the two norms. The max is not detached: the gradient flows through ||s_b|| where
// it is the larger. Paper: "Improving Knowledge Distillation via Regularizing Feature Norm and
// Direction" (Wang et al., 2023); code WangYZ1608/Knowledge-Distillation-via-ND CIFAR/utils.py
// (DirectNormLoss) (catalog: distillation.md). Defaults: factor 1 (the training loop adds
// CE + KD(T 4) ramped over 20 epochs). Reduction: mean over the batch. A student projection
// (EmbTrans) for mismatched widths is the caller's layer. Composite.
#include "losses/distill/common.h"
#include "losses/distill/feature.h"

namespace lathe {

using namespace distill;

Tensor nd_loss(const Tensor& student, const Tensor& teacher, const NdOptions& o) {
  const char* op = "nd_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher embeddings must be [B, D] of one shape, got ",
              student.shape(), " and ", teacher.shape());
  check_floating(op, "centers", o.centers);
  LATHE_CHECK(o.centers.dim() == 2 && o.centers.shape()[1] == student.shape()[1], "[", op,
              "] centers must be [C, D] with D = ", student.shape()[1], ", got ",
              o.centers.shape());
  Tensor y = check_class_targets(op, o.target, o.centers.shape()[0]);    // [B]
  LATHE_CHECK(y.shape()[0] == student.shape()[0], "[", op, "] targets ", y.shape(),
              " do not match the batch ", student.shape());
  Tensor e = l2_normalize(index_select(o.centers.detach(), y, 0), 1);     // [B, D]
  Tensor ns = sqrt(sum(student * student, {1}));                          // [B]
  Tensor nt = sqrt(sum(teacher.detach() * teacher.detach(), {1}));        // [B]
  Tensor cos = sum(student * e, {1}) / maximum(ns, nt);                   // [B]
  return mean(1.0 - cos) * o.factor;
}

LATHE_REGISTER_OPS(nd_loss) {
  registry.add(OpDef("nd_loss", "distillation")
                   .summary("KD++ norm-direction loss: 1 - <s, class-mean direction> / "
                            "max(|s|, |t|)")
                   .paper("Improving Knowledge Distillation via Regularizing Feature Norm and "
                          "Direction")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<NdOptions>()
                   .input("centers", &NdOptions::centers, Kind::floating, kNoGrad)
                   .input("target", &NdOptions::target, Kind::integer)
                   .attr("factor", &NdOptions::factor, "nd_loss_factor")
                   .output("loss")
                   .own_reduction("factor times the batch mean")
                   .run(nd_loss));
}

}  // namespace lathe
