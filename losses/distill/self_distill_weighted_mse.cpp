// self_distill_weighted_mse: self-distillation with ground-truth guidance, prediction
// f [B, ...], ground truth y [B, ...], previous round's prediction y_prev [B, ...] (the
// "teacher", detached), all one shape:
//   l = a (f - y)^2 + (1 - a)(f - y_prev)^2,  reduced 'mean' (default), 'sum' or 'none'.
// a weights the ground truth: a = 0 is pure self-distillation, a = 1 ignores the teacher.
// probs = true is the released CIFAR-10 form: f and y_prev are logits, replaced by their
// softmax over the last axis, y one-hot. Paper: "Even your Teacher Needs Guidance:
// Ground-Truth Targets Dampen Regularization Imposed by Self-Distillation" (Borup, Andersen,
// NeurIPS 2021); code Kennethborup/self_distillation self_distiller.py (catalog:
// distillation.md). Defaults: a 0.6 (the README's reproduction; argparse default 1.0).
// NOTE: the code sums two F.mse_loss means; with one shape that is the mean of l. The
// weight-decay term reg_coef sum ||theta|| is the optimizer's. Composite.
#include "losses/distill/common.h"
#include "losses/distill/feature.h"

namespace lathe {

using namespace distill;

Tensor self_distill_weighted_mse(const Tensor& pred, const Tensor& target, const Tensor& teacher,
                                 const SelfDistillMseOptions& o) {
  const char* op = "self_distill_weighted_mse";
  check_floating(op, "pred", pred);
  check_floating(op, "target", target);
  check_floating(op, "teacher", teacher);
  check_same_shape(op, "pred", pred, "target", target);
  check_same_shape(op, "pred", pred, "teacher", teacher);
  Reduction reduction = parse_reduction(op, o.reduction);
  Tensor f = pred, prev = teacher.detach();
  if (o.probs) {
    f = softmax(f, -1);
    prev = softmax(prev, -1);
  }
  Tensor dy = f - target, dp = f - prev;
  return apply_reduction(dy * dy * o.a + dp * dp * (1.0 - o.a), reduction);
}

LATHE_REGISTER_OPS(self_distill_weighted_mse) {
  registry.add(OpDef("self_distill_weighted_mse", "distillation")
                   .summary("a (f - y)^2 + (1 - a)(f - y_prev)^2: self-distillation guided by "
                            "the ground truth")
                   .paper("Even your Teacher Needs Guidance: Ground-Truth Targets Dampen "
                          "Regularization Imposed by Self-Distillation")
                   .input("pred")
                   .input("target")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<SelfDistillMseOptions>()
                   .attr("a", &SelfDistillMseOptions::a,
                         "weight of the ground truth (0: pure self-distillation)")
                   .attr("probs", &SelfDistillMseOptions::probs,
                         "softmax of pred and teacher logits (classification form)")
                   .attr("reduction", &SelfDistillMseOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(self_distill_weighted_mse));
}

}  // namespace lathe
