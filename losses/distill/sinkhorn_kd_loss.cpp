// sinkhorn_kd_loss: SinKD, student logits s [B, C], teacher logits t [B, C] (detached):
//   p^s = softmax(s / T), p^t = softmax(t / T),  W_ij = sum_c |p^s_ic - p^t_jc|  ([B, B], a
//   cost between samples, not classes),  P = exp(-W / eps), then n_iters times
//   P <- P / rowsum(P); P <- P / colsum(P),  L = scale sum_ij P_ij W_ij.
// Paper: "Sinkhorn Distance Minimization for Knowledge Distillation" (Cui et al.,
// LREC-COLING 2024); code 2018cx/SinKD loss.py (Sinkhorn), GPT-Neo/lossd.py, T0/lossd.py
// (catalog: distillation.md). Defaults: T 2 (the official classes set self.T = 2 whatever they
// are given), eps 0.1, n_iters 20, scale 0.001 (GLUE; 0.0008 for GPT-Neo and T0).
// Gradient: autograd through every Sinkhorn iteration (P is not a constant) and through the
// L1 cost (sign(p^s - p^t): kinks where they tie). The plain exp form is safe for W <= 2 and
// eps = 0.1 (exp(-20) at worst); smaller eps would need the log domain. Reduction: sum, one
// scalar per batch. Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor sinkhorn_kd_loss(const Tensor& student, const Tensor& teacher,
                        const SinkhornKdOptions& o) {
  const char* op = "sinkhorn_kd_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  LATHE_CHECK(o.eps > 0, "[", op, "] eps must be positive, got ", o.eps);
  LATHE_CHECK(o.n_iters >= 0, "[", op, "] n_iters must be >= 0, got ", o.n_iters);
  Tensor ps = softmax(student / o.T, 1), pt = softmax(teacher.detach() / o.T, 1);  // [B, C]
  Tensor w = sum(abs(unsqueeze(ps, 1) - unsqueeze(pt, 0)), {2});          // [B, B]
  Tensor p = exp(w / -o.eps);                                             // [B, B]
  for (int64_t i = 0; i < o.n_iters; ++i) {
    p = p / sum(p, {1}, true);
    p = p / sum(p, {0}, true);
  }
  return sum(p * w) * o.scale;
}

LATHE_REGISTER_OPS(sinkhorn_kd_loss) {
  registry.add(OpDef("sinkhorn_kd_loss", "distillation")
                   .summary("SinKD: scale sum P W, W the L1 cost between the batch's softened "
                            "student and teacher distributions, P its Sinkhorn plan")
                   .paper("Sinkhorn Distance Minimization for Knowledge Distillation")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<SinkhornKdOptions>()
                   .attr("T", &SinkhornKdOptions::T, "temperature > 0 (official: fixed at 2)")
                   .attr("eps", &SinkhornKdOptions::eps, "entropic regularization > 0")
                   .attr("n_iters", &SinkhornKdOptions::n_iters, "Sinkhorn iterations")
                   .attr("scale", &SinkhornKdOptions::scale,
                         "loss scale: 0.001 (GLUE) or 0.0008 (GPT-Neo, T0)")
                   .output("loss")
                   .own_reduction("batch-level: the scaled transport cost over the B x B plan")
                   .run(sinkhorn_kd_loss));
}

}  // namespace lathe
