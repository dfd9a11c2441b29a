// pld_loss: PLD, a list-wise KD loss, student logits s [B, C], teacher logits t [B, C]
// (detached), targets y [B]:
//   pi = [y, the other classes by descending teacher logit],  alpha_k = softmax(t / tau_t)_{pi_k},
//   L = mean_b sum_k alpha_k (LSE(s_{pi_k}, ..., s_{pi_C}) - s_{pi_k}),
// a teacher-confidence-weighted Plackett-Luce negative log-likelihood (ListMLE) of the
// teacher's ranking; the k = 1 term is alpha_1 CE(s, y). The student logits are not scaled.
// Paper: "PLD: A Choice-Theoretic List-Wise Knowledge Distillation" (Bassam, Zhu, Bian, 2025,
// arXiv 2506.12542), section 4, appendix C (catalog: distillation.md, confidence paper text;
// the formula and the reference implementation are printed in the paper).
// Defaults: tau_t 1 (ImageNet; CIFAR-100 uses 4). Reduction: mean over the batch.
// NOTE: the suffix log-sum-exps are a reverse cumulative sum of exp(s - max_row s) (lathe has
// no logcumsumexp yet): exact, but a suffix whose logits all lie ~700 (f64; ~85 in f32) below
// the row's maximum underflows to log 0. Teacher ties order by lathe's stable sort (the
// reference's torch.sort is unstable there: tests avoid ties). Composite.
#include <limits>

#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor pld_loss(const Tensor& student, const Tensor& teacher, const PldOptions& o) {
  const char* op = "pld_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  check_temperature(op, o.tau_t);
  int64_t b = student.shape()[0], c = student.shape()[1];
  Tensor y = check_class_targets(op, o.target, c);                        // [B]
  LATHE_CHECK(y.shape()[0] == b, "[", op, "] targets ", y.shape(), " do not match the batch ",
              student.shape());
  Tensor t = teacher.detach();
  Tensor is_y = ne(one_hot(y, c), 0.0);                                   // [B, C] bool
  Tensor key = where(is_y, std::numeric_limits<double>::infinity(), t);  // label ranks first
  Tensor perm = sort(key, 1, true).second;                                // [B, C]
  Tensor alpha = gather(softmax(t / o.tau_t, 1), perm, 1);                // [B, C]
  Tensor sp = gather(student, perm, 1);                                   // [B, C]
  Tensor m = max(sp.detach(), {1}, true);                                 // [B, 1]
  Tensor tail = log(cumsum(exp(sp - m), 1, true)) + m;                    // [B, C] suffix LSE
  return mean(sum(alpha * (tail - sp), {1}));
}

LATHE_REGISTER_OPS(pld_loss) {
  registry.add(OpDef("pld_loss", "distillation")
                   .summary("teacher-weighted Plackett-Luce NLL of the teacher's ranking with the "
                            "label first")
                   .paper("PLD: A Choice-Theoretic List-Wise Knowledge Distillation")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<PldOptions>()
                   .input("target", &PldOptions::target, Kind::integer)
                   .attr("tau_t", &PldOptions::tau_t, "teacher temperature of the weights > 0")
                   .output("loss")
                   .own_reduction("mean over the batch of the sum over the C positions")
                   .run(pld_loss));
}

}  // namespace lathe
