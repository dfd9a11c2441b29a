// uskd_loss: USKD, teacher-free self-distillation with customized soft labels, student logits
// s [N, C], weak-head logits w [N, C] (w = fc(f_mid): the layer's linear head on an
// intermediate feature, owned by the caller), class targets y [N]:
//   1. S_t = softmax(s)_y, p_t = sg(S_t^2 + 1 - mean_N(S_t^2)), L_t = -mean p_t log_softmax(s)_y;
//   2. L_weak = -mu mean_i sum_c (0.9 onehot(y) + 0.1 / C)_c log_softmax(w)_c;
//   3. r = softmax(w) / (1 - softmax(w)_y + 1e-6) + log_softmax(s) / (1 - log_softmax(s)_y + 1e-6)
//      (the reference mixes a softmax with a log-softmax: reproduced);
//   4. the class of rank j (descending r) gets 1 / j; drop y, renormalize over the C - 1
//      others: z (detached);
//   5. L_nt = -mean_i sum_{k != y} z_k log_softmax(s^{-y})_k;
//   L = alpha L_t + beta L_nt + L_weak.
// Paper: "From Knowledge Distillation to Self-Knowledge Distillation: A Unified Approach with
// Normalized Loss and Customized Soft Labels" (Yang et al., ICCV 2023); code yzd-v/cls_KD
// mmcls/models/dis_losses/uskd.py (USKDLoss) (catalog: distillation.md).
// Defaults: alpha 1, beta 0.1, mu 0.005. Hard labels only (the reference's 2-D soft-label
// branch, top-2 labels, is not built). Backward: p_t and z are detached functions of s and w
// (the defined backward). Rank ties order by lathe's stable sort (tests avoid them).
// Reduction: mean over the batch. Composite.
#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

using namespace distill;

Tensor uskd_loss(const Tensor& student, const Tensor& weak_logits, const UskdOptions& o) {
  const char* op = "uskd_loss";
  check_floating(op, "student", student);
  check_floating(op, "weak_logits", weak_logits);
  LATHE_CHECK(student.dim() == 2 && student.shape() == weak_logits.shape(), "[", op,
              "] student and weak-head logits must be [N, C] of one shape, got ",
              student.shape(), " and ", weak_logits.shape());
  int64_t n = student.shape()[0], c = student.shape()[1];
  LATHE_CHECK(c >= 2, "[", op, "] needs at least 2 classes, got ", c);
  Tensor y = check_class_targets(op, o.target, c);                        // [N]
  LATHE_CHECK(y.shape()[0] == n, "[", op, "] targets ", y.shape(), " do not match the batch ",
              student.shape());
  Tensor yi = unsqueeze(y, 1);                                            // [N, 1]
  Tensor idx = non_target_index(y, c);                                    // [N, C-1]
  Tensor ls = log_softmax(student, 1), lw = log_softmax(weak_logits, 1);  // [N, C]
  Tensor p_t, z;
  {
    NoGradGuard no_grad;
    Tensor st2 = pow(exp(gather(ls, yi, 1)), 2.0);                        // [N, 1]
    p_t = st2 + 1.0 - mean(st2);
    Tensor wp = exp(lw);                                                  // [N, C]
    Tensor rank = wp / (1.0 - gather(wp, yi, 1) + 1e-6) + ls / (1.0 - gather(ls, yi, 1) + 1e-6);
    Tensor order = sort(rank, 1, true).second;                            // [N, C]
    Tensor zipf = 1.0 / (arange(1.0, double(c) + 1.0, 1.0, student.dtype(), student.device()));
    Tensor zr = scatter_add(zeros_like(student), order, expand(unsqueeze(zipf, 0), {n, c}), 1);
    Tensor nz = gather(zr, idx, 1);                                       // [N, C-1]
    z = nz / sum(nz, {1}, true);
  }
  Tensor loss_t = -mean(p_t * gather(ls, yi, 1));
  Tensor smooth = one_hot(y, c).to(student.dtype()) * 0.9 + 0.1 / double(c);  // [N, C]
  Tensor loss_weak = -mean(sum(smooth * lw, {1})) * o.mu;
  Tensor loss_nt = -mean(sum(z * log_softmax(gather(student, idx, 1), 1), {1}));
  return loss_t * o.alpha + loss_nt * o.beta + loss_weak;
}

LATHE_REGISTER_OPS(uskd_loss) {
  registry.add(OpDef("uskd_loss", "distillation")
                   .summary("teacher-free USKD: soft target term, Zipf-ranked non-target term "
                            "and the weak head's smoothed CE")
                   .paper("From Knowledge Distillation to Self-Knowledge Distillation: A Unified "
                          "Approach with Normalized Loss and Customized Soft Labels")
                   .input("student")
                   .input("weak_logits")
                   .options<UskdOptions>()
                   .input("target", &UskdOptions::target, Kind::integer)
                   .attr("alpha", &UskdOptions::alpha, "weight of the target term")
                   .attr("beta", &UskdOptions::beta, "weight of the Zipf non-target term")
                   .attr("mu", &UskdOptions::mu, "weight of the weak head's CE")
                   .output("loss")
                   .custom_backward("defined backward: the soft target p_t and the Zipf labels "
                                    "are detached functions of the logits, as the reference")
                   .own_reduction("mean over the batch of each term")
                   .run(uskd_loss));
}

}  // namespace lathe
