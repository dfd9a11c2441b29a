// dkd_loss: decoupled knowledge distillation of student logits s [B, C] from teacher logits
// t [B, C] with class targets y [B]:
//   b = [p_y, 1 - p_y] (target vs the rest), pn = softmax over the C - 1 non-target classes,
//   TCKD = KL(b^t || b^s),  NCKD = KL(pn^t || pn^s),  all at temperature T,
//   L = T^2 (1/B) sum_b (alpha TCKD_b + beta NCKD_b).
// Paper: "Decoupled Knowledge Distillation" (Zhao, Cui, Song, Qiu, Liang, CVPR 2022),
// https://arxiv.org/abs/2203.08679; code megvii-research/mdistiller, distillers/DKD.py.
// Defaults (mdistiller CFG.DKD): alpha 1, beta 8, T 4. mdistiller also weights CE(s, y) by 1
// and ramps the DKD term in with min(epoch / 20, 1): both are the caller's (training) business.
// NOTE: mdistiller forms b with sums of softmax entries and takes torch.log of them, and drops
// the target from NCKD by subtracting 1000 from its logit; here log(1 - p_y) is a logsumexp of
// the non-target log-probabilities and the target column is left out by a gather, which is the
// same value without the underflow of log(1 - p_y) for confident rows. The teacher is detached.
// Reduction: batchmean by definition (sum / B), as mdistiller. f16/bf16 logits are computed in
// f32 (the log-probability differences cancel). Composite.
#include "losses/distill/common.h"
#include "losses/distill/logit.h"

namespace lathe {

using namespace distill;

Tensor dkd_loss(const Tensor& student, const Tensor& teacher, const DkdOptions& o) {
  const char* op = "dkd_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() == 2 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must be [B, C] of one shape, got ", student.shape(),
              " and ", teacher.shape());
  int64_t b = student.shape()[0], c = student.shape()[1];
  LATHE_CHECK(c >= 2, "[", op, "] needs at least 2 classes, got ", c);
  check_temperature(op, o.temperature);
  Tensor y = check_class_targets(op, o.target, c);                        // [B]
  LATHE_CHECK(y.shape()[0] == b, "[", op, "] targets ", y.shape(), " do not match the batch ",
              student.shape());
  double tt = o.temperature;
  Tensor idx = non_target_index(y, c);                                    // [B, C-1]
  Tensor yi = unsqueeze(y, 1);                                            // [B, 1]
  auto parts = [&](const Tensor& logits, Tensor& target, Tensor& rest, Tensor& others) {
    Tensor lp = log_softmax(logits / tt, 1);                              // [B, C]
    Tensor lo = gather(lp, idx, 1);                                       // [B, C-1]
    target = gather(lp, yi, 1);                                           // [B, 1] log p_y
    rest = logsumexp(lo, {1}, true);                                      // [B, 1] log(1 - p_y)
    others = lo - rest;                                                   // [B, C-1] log pn
  };
  Tensor st, sr, so, tgt, tr, to;
  parts(widen(student), st, sr, so);
  parts(widen(teacher.detach()), tgt, tr, to);
  Tensor tckd = exp(tgt) * (tgt - st) + exp(tr) * (tr - sr);              // [B, 1]
  Tensor nckd = sum(exp(to) * (to - so), {1}, true);                      // [B, 1]
  Tensor loss = sum(tckd * o.alpha + nckd * o.beta) * (tt * tt / double(b));
  return cast(loss, student.dtype());
}

LATHE_REGISTER_OPS(dkd_loss) {
  registry.add(OpDef("dkd_loss", "distillation")
                   .summary("decoupled KD: alpha T^2 KL on [p_y, 1 - p_y] + beta T^2 KL among "
                            "the non-target classes")
                   .paper("Decoupled Knowledge Distillation")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<DkdOptions>()
                   .input("target", &DkdOptions::target, Kind::integer)
                   .attr("alpha", &DkdOptions::alpha, "weight of TCKD (target vs the rest)")
                   .attr("beta", &DkdOptions::beta, "weight of NCKD (among non-target classes)")
                   .attr("temperature", &DkdOptions::temperature, "softening temperature T > 0")
                   .output("loss")
                   .own_reduction("batchmean by definition (T^2 KL terms summed over classes, "
                                  "averaged over the batch), as mdistiller")
                   .run(dkd_loss));
}

}  // namespace lathe
