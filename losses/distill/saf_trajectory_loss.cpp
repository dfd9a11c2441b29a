// saf_trajectory_loss: Sharpness-Aware training for Free, logits z [B, C], targets y [B],
// and the same examples' logits stored E_ago = 3 epochs earlier, past [B, C] (the
// "teacher", detached; read from the logit bank):
//   L = CE(z, y) + lam T^2 mean_b sum_c softmax(past / T)_c [log softmax(past / T)_c
//                                                          - log(softmax(z / T)_c)].
// State: the bank [E_ago + 1, N, C] of every training example's logits, indexed by dataset
// id; saf_bank_write returns it with slot epoch % (E_ago + 1) written (detached) after each
// forward (idx: distinct dataset ids); the training loop reads slot
// (epoch - E_ago) % (E_ago + 1) once epoch > 5.
// Paper: "Sharpness-Aware Training for Free" (Du et al., NeurIPS 2022); code AngusDujw/SAF
// SAF_train.py (--reinforce 0.16 --temperature 5 --kl_start_epoch 5 --minus_epoch 3)
// (catalog: distillation.md). Defaults: lam 0.16, T 5 (the official values).
// NOTE: the reference takes log(softmax(z / T)), not log_softmax; lathe reproduces it (the
// catalog names this quirk): the value underflows to -inf only for probabilities below
// ~1e-308 (f64). Reduction: CE mean plus the batch mean of the KL. Composite.
#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

using namespace distill;

Tensor saf_trajectory_loss(const Tensor& logits, const Tensor& teacher,
                           const SafTrajectoryOptions& o) {
  const char* op = "saf_trajectory_loss";
  check_floating(op, "logits", logits);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(logits.dim() == 2 && logits.shape() == teacher.shape(), "[", op,
              "] logits and past logits must be [B, C] of one shape, got ", logits.shape(),
              " and ", teacher.shape());
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  Tensor y = check_class_targets(op, o.target, logits.shape()[1]);        // [B]
  LATHE_CHECK(y.shape()[0] == logits.shape()[0], "[", op, "] targets ", y.shape(),
              " do not match the batch ", logits.shape());
  Tensor lt = log_softmax(teacher.detach() / o.T, 1);                     // [B, C]
  Tensor ls = log(softmax(logits / o.T, 1));                              // [B, C] (quirk)
  Tensor kl = mean(sum(exp(lt) * (lt - ls), {1})) * (o.T * o.T);
  return mean(softmax_cross_entropy(logits, y)) + kl * o.lam;
}

Tensor saf_bank_write(const Tensor& bank, int64_t epoch, const Tensor& idx, const Tensor& z,
                      int64_t e_ago) {
  const char* op = "saf_bank_write";
  check_floating(op, "bank", bank);
  LATHE_CHECK(e_ago >= 1 && epoch >= 0 && bank.dim() == 3 && bank.shape()[0] == e_ago + 1, "[",
              op, "] the bank must be [E_ago + 1, N, C] with E_ago = ", e_ago, " and epoch >= 0,"
              " got ", bank.shape(), " at epoch ", epoch);
  LATHE_CHECK(is_integral(idx.dtype()) && idx.dim() == 1 && z.dim() == 2 &&
                  z.shape()[0] == idx.shape()[0] && z.shape()[1] == bank.shape()[2],
              "[", op, "] idx [B] and logits [B, C] must match the bank ", bank.shape(),
              ", got ", idx.shape(), " and ", z.shape());
  NoGradGuard no_grad;
  int64_t slot = epoch % (e_ago + 1);
  Tensor rows = squeeze(narrow(bank, 0, slot, 1), {0});                  // [N, C]
  Tensor ids = unsqueeze(idx.to(DType::i64), 1) + zeros(z.shape(), DType::i64, z.device());
  Tensor ones = full(z.shape(), 1.0, rows.dtype(), rows.device());
  Tensor keep = scatter_add(zeros_like(rows), ids, ones, 0);             // [N, C] 1 where written
  Tensor written = scatter_add(zeros_like(rows), ids, z.detach().to(rows.dtype()), 0);
  Tensor updated = where(gt(keep, 0.0), written, rows);
  return slice_scatter(bank, unsqueeze(updated, 0), 0, slot, slot + 1);
}

LATHE_REGISTER_OPS(saf_trajectory_loss) {
  registry.add(OpDef("saf_trajectory_loss", "distillation")
                   .summary("SAF: CE + lam T^2 KL(softmax(past/T) || softmax(z/T)), past the "
                            "example's logits 3 epochs ago")
                   .paper("Sharpness-Aware Training for Free")
                   .input("logits")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<SafTrajectoryOptions>()
                   .input("target", &SafTrajectoryOptions::target, Kind::integer)
                   .attr("lam", &SafTrajectoryOptions::lam, "weight of the trajectory KL")
                   .attr("T", &SafTrajectoryOptions::T, "temperature > 0")
                   .output("loss")
                   .own_reduction("CE mean plus the batch mean of the KL")
                   .run(saf_trajectory_loss));
}

}  // namespace lathe
