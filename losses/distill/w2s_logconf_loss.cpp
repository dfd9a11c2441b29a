// w2s_logconf_loss: the auxiliary confidence loss of weak-to-strong generalization, strong
// model logits z [B, 2], weak soft labels w [B, 2] (the "teacher", detached):
//   coef = aux_coef (step_frac > warmup_frac ? 1 : step_frac),  p = softmax(z),
//   tau = quantile(p[:, 0], mean_b w_b1) (linear interpolation, as torch.quantile),
//   h = [p_0 >= tau, p_0 < tau] (one-hot, detached: the model's own hardened predictions with
//   the weak labels' class balance),  L = mean_b CE(z_b, (1 - coef) w_b + coef h_b).
// Paper: "Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision"
// (Burns et al., 2023); code openai/weak-to-strong weak_to_strong/loss.py (logconf_loss_fn)
// (catalog: distillation.md). Defaults: aux_coef 0.5, warmup_frac 0.1, step_frac 1 (an
// attribute the loop advances). NOTE: the ramp multiplies by step_frac itself, not
// step_frac / warmup_frac, as the reference. The reference computes in float32; lathe keeps
// the input dtype (the catalog's convention).
// Backward: CE's with the target fixed; h is piecewise constant in z, so away from the
// threshold it is also the derivative. Reduction: mean over the batch. Composite.
#include <algorithm>
#include <cmath>

#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

Tensor w2s_logconf_loss(const Tensor& logits, const Tensor& teacher,
                        const W2sLogconfOptions& o) {
  const char* op = "w2s_logconf_loss";
  check_floating(op, "logits", logits);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(logits.dim() == 2 && logits.shape()[1] == 2 && logits.shape() == teacher.shape() &&
                  logits.shape()[0] >= 1,
              "[", op, "] logits and weak labels must be [B, 2] (binary), got ", logits.shape(),
              " and ", teacher.shape());
  double coef = o.aux_coef * (o.step_frac > o.warmup_frac ? 1.0 : o.step_frac);
  Tensor ls = log_softmax(logits, 1);                                     // [B, 2]
  Tensor target;                                                          // [B, 2]
  {
    NoGradGuard no_grad;
    Tensor w = teacher.detach();
    Tensor p0 = squeeze(narrow(exp(ls.detach()), 1, 0, 1), {1});          // [B]
    std::vector<double> v = cast(p0, DType::f64).to_vector<double>();
    std::sort(v.begin(), v.end());
    double q = mean(narrow(w, 1, 1, 1)).item();
    LATHE_CHECK(q >= 0 && q <= 1, "[", op, "] the weak labels' class-1 mean must lie in "
                "[0, 1], got ", q);
    double rank = q * double(v.size() - 1), below = std::floor(rank);
    size_t lo = size_t(below), hi = std::min(lo + 1, v.size() - 1);
    double tau = v[lo] + (rank - below) * (v[hi] - v[lo]);
    Tensor first = cast(ge(p0, tau), logits.dtype());                     // [B]
    Tensor h = stack({first, 1.0 - first}, 1);                            // [B, 2]
    target = w * (1.0 - coef) + h * coef;
  }
  return mean(-sum(target * ls, {1}));
}

LATHE_REGISTER_OPS(w2s_logconf_loss) {
  registry.add(OpDef("w2s_logconf_loss", "distillation")
                   .summary("CE against (1 - coef) weak labels + coef the model's own "
                            "predictions hardened at the weak labels' class balance")
                   .paper("Weak-to-Strong Generalization: Eliciting Strong Capabilities With "
                          "Weak Supervision")
                   .input("logits")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<W2sLogconfOptions>()
                   .attr("step_frac", &W2sLogconfOptions::step_frac,
                         "training progress in [0, 1]")
                   .attr("aux_coef", &W2sLogconfOptions::aux_coef,
                         "weight of the hardened predictions after warm-up")
                   .attr("warmup_frac", &W2sLogconfOptions::warmup_frac,
                         "progress before which coef ramps with step_frac")
                   .output("loss")
                   .own_reduction("mean over the batch of the soft-target CE")
                   .run(w2s_logconf_loss));
}

}  // namespace lathe
