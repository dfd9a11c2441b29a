// gpg_loss: EQ-Net's group progressive guidance, sub-net logits z [B, C] supervised by the
// previous sub-net's logits z' [B, C] (the "teacher", detached) and class targets y [B]:
//   L = alpha T^2 KL_batchmean(softmax(z' / T) || softmax(z / T)) + (1 - alpha) CE(z, y).
// Paper: "EQ-Net: Elastic Quantization Neural Networks" (Xu et al., ICCV 2023); code
// xuke225/EQ-Net runner/criterion.py (KLLossSoft, CELossSoft), runner/trainer.py
// (catalog: distillation.md). Defaults: alpha 0.5, T 1. Reduction: batchmean KL + mean CE.
// The sandwich sampling (largest sub-net on CE only, each next one on the previous one's
// detached logits) is the training loop's; this is one link of the chain. Composite.
#include "losses/classification/classification.h"
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor gpg_loss(const Tensor& student, const Tensor& teacher, const GpgOptions& o) {
  const char* op = "gpg_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  int64_t b = student.shape()[0];
  Tensor y = check_class_targets(op, o.target, student.shape()[1]);       // [B]
  LATHE_CHECK(y.shape()[0] == b, "[", op, "] targets ", y.shape(), " do not match the batch ",
              student.shape());
  Tensor lt = log_softmax(teacher.detach() / o.T, 1);                     // [B, C]
  Tensor ls = log_softmax(student / o.T, 1);                              // [B, C]
  Tensor kl = sum(exp(lt) * (lt - ls)) / double(b);
  return kl * (o.alpha * o.T * o.T) + mean(softmax_cross_entropy(student, y)) * (1.0 - o.alpha);
}

LATHE_REGISTER_OPS(gpg_loss) {
  registry.add(OpDef("gpg_loss", "distillation")
                   .summary("alpha T^2 KL(softmax(prev/T) || softmax(z/T)) + (1 - alpha) CE, "
                            "EQ-Net's progressive guidance")
                   .paper("EQ-Net: Elastic Quantization Neural Networks")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<GpgOptions>()
                   .input("target", &GpgOptions::target, Kind::integer)
                   .attr("alpha", &GpgOptions::alpha, "weight of the KD term (1 - alpha: CE)")
                   .attr("T", &GpgOptions::T, "temperature > 0")
                   .output("loss")
                   .own_reduction("batchmean KL plus the batch mean of CE")
                   .run(gpg_loss));
}

}  // namespace lathe
