// dual_head_kd: the loss part of Dual-Head Knowledge Distillation (a training procedure):
// the student backbone's feature feeds two classifier heads, the main head z0 [B, C] (trained
// on labels only, used at inference) and an auxiliary head z1 [B, C] (trained only by the
// logit-level loss against the teacher t [B, C], detached):
//   L = gamma CE(z0, y) + alpha binary_kl_norm_loss(z1, t; T, eps).
// Procedure (the caller's loop; tests/losses/distill_test.cpp runs it on a tiny model):
//   1. h = backbone(x); z0 = head_main(h); z1 = head_aux(h); t = teacher(x) without grad;
//   2. loss = dual_head_kd(z0, z1, t, {y, gamma, alpha, T}); loss.backward(); step;
//   3. at inference use head_main only (head_aux is dropped).
// Separating the heads keeps the logit-level loss from collapsing the main classifier; the
// backbone receives both gradients. The optional gradient-alignment optimizer (--ga) of the
// code is not part of the loss.
// Paper: "Dual-Head Knowledge Distillation: Enhancing Logits Utilization with an Auxiliary
// Head" (Yang et al., 2024); code penghui-yang/DHKD train_student.py, helper/loops.py
// (catalog: distillation.md, procedure, official code). The released code's wiring (CE on the
// main head, BinaryKLNorm on the auxiliary head) supersedes an earlier reading with
// probability-level KD on the main head.
// Defaults: gamma 1, alpha 1 (CIFAR-100; 0.1 on ImageNet), T 2, eps 1e-8.
// Reduction: CE mean plus BinaryKLNorm's sum / B. Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor dual_head_kd(const Tensor& main_logits, const Tensor& aux_logits, const Tensor& teacher,
                    const DualHeadKdOptions& o) {
  const char* op = "dual_head_kd";
  check_floating(op, "main", main_logits);
  check_floating(op, "aux", aux_logits);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(main_logits.dim() == 2 && main_logits.shape() == aux_logits.shape() &&
                  aux_logits.shape() == teacher.shape(),
              "[", op, "] main, auxiliary and teacher logits must be [B, C] of one shape, got ",
              main_logits.shape(), ", ", aux_logits.shape(), " and ", teacher.shape());
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  Tensor y = check_class_targets(op, o.target, main_logits.shape()[1]);   // [B]
  LATHE_CHECK(y.shape()[0] == main_logits.shape()[0], "[", op, "] targets ", y.shape(),
              " do not match the batch ", main_logits.shape());
  BinaryKlOptions bkn;
  bkn.T = o.T;
  bkn.eps = o.eps;
  Tensor ce = mean(softmax_cross_entropy(main_logits, y));
  return ce * o.gamma + binary_kl_norm_loss(aux_logits, teacher.detach(), bkn) * o.alpha;
}

LATHE_REGISTER_OPS(dual_head_kd) {
  registry.add(OpDef("dual_head_kd", "distillation")
                   .summary("Dual-Head KD's loss: gamma CE(main head) + alpha BinaryKLNorm("
                            "auxiliary head, teacher)")
                   .paper("Dual-Head Knowledge Distillation: Enhancing Logits Utilization with "
                          "an Auxiliary Head")
                   .input("main")
                   .input("aux")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<DualHeadKdOptions>()
                   .input("target", &DualHeadKdOptions::target, Kind::integer)
                   .attr("gamma", &DualHeadKdOptions::gamma, "weight of CE on the main head")
                   .attr("alpha", &DualHeadKdOptions::alpha,
                         "weight of BinaryKLNorm on the auxiliary head")
                   .attr("T", &DualHeadKdOptions::T, "temperature > 0")
                   .attr("eps", &DualHeadKdOptions::eps, "clamp of the sigmoid")
                   .output("loss")
                   .own_reduction("CE mean plus BinaryKLNorm's sum / B")
                   .run(dual_head_kd));
}

}  // namespace lathe
