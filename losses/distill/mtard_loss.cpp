// mtard_loss: multi-teacher adversarial robustness distillation (B-MTARD), student logits on
// adversarial inputs s' [B, C] and clean inputs s [B, C], the robust teacher's logits on the
// adversarial inputs t' [B, C] and the natural teacher's on the clean ones t [B, C] (both
// detached):
//   kl(z, u, tau) = mean_{B x C} (-log_softmax(z) softmax(u / tau)
//                                 + log(softmax(u / tau) + 1e-5) softmax(u / tau)),
//   L = w_adv kl(s', t', tau_adv) + w_nat kl(s, t, tau_nat)       (no label CE).
// The mean over B x C is KL_batchmean / C (kept for parity); the 1e-5 is the reference's.
// State (MtardState, carried by the loop and passed in as the attributes tau_adv, tau_nat,
// w_adv, w_nat; mtard_update returns the next one, no gradient):
//   E = mean(p log(p + 1e-5)) of each teacher's tempered softmax (a negative entropy);
//   tau_adv <- clip(tau_adv - eta_tau sign(E_adv / E_nat - 1), 1, 10), and tau_nat likewise
//   with E_nat / E_adv; the first step's losses L0 are kept; r_i = (L_i / L0_i) / mean_j(..);
//   w_i <- max(w_i - eta_w (w_i - r_i / sum_j r_j), 0), renormalized to sum 1.
// Paper: "Mitigating the Accuracy-Robustness Trade-off via Multi-Teacher Adversarial
// Distillation" (Zhao et al., TPAMI extension of ECCV 2022 MTARD); code
// zhaoshiji123/MTARD-extension resnet18_mtard_cifar10.py (catalog: distillation.md).
// Defaults: tau 1 and w 0.5 each at the start, eta_tau 0.001, eta_w 0.025 (both x 0.1 at the
// learning-rate milestones, the loop's). The PGD attack (10 steps, 8/255) is the loop's.
// Reduction: means over B x C. Composite.
#include <algorithm>
#include <cmath>

#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

namespace {

Tensor mtard_kl(const Tensor& z, const Tensor& u, double tau) {
  Tensor b = softmax(u.detach() / tau, 1);                                // [B, C]
  return mean(-log_softmax(z, 1) * b + log(b + 1e-5) * b);
}

double sign_of(double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); }

}  // namespace

Tensor mtard_loss(const Tensor& student_adv, const Tensor& teacher_adv, const MtardOptions& o) {
  const char* op = "mtard_loss";
  check_floating(op, "student_adv", student_adv);
  check_floating(op, "teacher", teacher_adv);
  check_floating(op, "student_nat", o.student_nat);
  check_floating(op, "teacher_nat", o.teacher_nat);
  LATHE_CHECK(student_adv.dim() == 2 && student_adv.shape() == teacher_adv.shape() &&
                  o.student_nat.shape() == student_adv.shape() &&
                  o.teacher_nat.shape() == student_adv.shape(),
              "[", op, "] the four logits must be [B, C] of one shape (the teachers' class "
              "counts those of the student), got ", student_adv.shape(), ", ",
              teacher_adv.shape(), ", ", o.student_nat.shape(), " and ", o.teacher_nat.shape());
  LATHE_CHECK(o.tau_adv > 0 && o.tau_nat > 0, "[", op, "] temperatures must be positive, got ",
              o.tau_adv, " and ", o.tau_nat);
  return mtard_kl(student_adv, teacher_adv, o.tau_adv) * o.w_adv +
         mtard_kl(o.student_nat, o.teacher_nat, o.tau_nat) * o.w_nat;
}

MtardState mtard_update(const MtardState& state, const Tensor& teacher_adv,
                        const Tensor& teacher_nat, double l_adv, double l_nat, double eta_tau,
                        double eta_w) {
  NoGradGuard no_grad;
  auto neg_entropy = [](const Tensor& t, double tau) {
    Tensor p = softmax(t.detach() / tau, 1);
    return mean(p * log(p + 1e-5)).item();
  };
  MtardState s = state;
  double ea = neg_entropy(teacher_adv, state.tau_adv), en = neg_entropy(teacher_nat, state.tau_nat);
  s.tau_adv = std::min(std::max(state.tau_adv - eta_tau * sign_of(ea / en - 1), 1.0), 10.0);
  s.tau_nat = std::min(std::max(state.tau_nat - eta_tau * sign_of(en / ea - 1), 1.0), 10.0);
  if (s.l0_adv < 0) {
    s.l0_adv = l_adv;
    s.l0_nat = l_nat;
  }
  double ra = l_adv / s.l0_adv, rn = l_nat / s.l0_nat, m = (ra + rn) / 2;
  ra /= m;
  rn /= m;
  double wa = std::max(state.w_adv - eta_w * (state.w_adv - ra / (ra + rn)), 0.0);
  double wn = std::max(state.w_nat - eta_w * (state.w_nat - rn / (ra + rn)), 0.0);
  s.w_adv = wa / (wa + wn);
  s.w_nat = wn / (wa + wn);
  return s;
}

LATHE_REGISTER_OPS(mtard_loss) {
  registry.add(OpDef("mtard_loss", "distillation")
                   .summary("MTARD: weighted KL-like terms against a robust teacher (adversarial "
                            "inputs) and a natural teacher (clean inputs)")
                   .paper("Mitigating the Accuracy-Robustness Trade-off via Multi-Teacher "
                          "Adversarial Distillation")
                   .input("student_adv")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<MtardOptions>()
                   .input("student_nat", &MtardOptions::student_nat)
                   .input("teacher_nat", &MtardOptions::teacher_nat, Kind::floating, kNoGrad)
                   .attr("tau_adv", &MtardOptions::tau_adv,
                         "state: the robust teacher's temperature")
                   .attr("tau_nat", &MtardOptions::tau_nat,
                         "state: the natural teacher's temperature")
                   .attr("w_adv", &MtardOptions::w_adv, "state: weight of the adversarial term")
                   .attr("w_nat", &MtardOptions::w_nat, "state: weight of the natural term")
                   .output("loss")
                   .own_reduction("means over B x C, weighted by the state's w_adv and w_nat")
                   .run(mtard_loss));
}

}  // namespace lathe
