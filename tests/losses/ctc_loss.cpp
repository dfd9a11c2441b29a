// Test cases for losses/classification/ctc_loss.cpp (conformance, oracle). Its gradient is
// PyTorch's rule, not the derivative in log_probs, so the cases are not gradchecked here;
// tests/losses/parity_test.cpp checks it through log_softmax against finite differences.
#include "tests/support/cases.h"

LATHE_CASES(ctc_loss) {
  using lathe::DType;
  const char* rule = "custom backward: PyTorch's gradient exp(lp) - occupancy is the derivative "
                     "through log_softmax, checked in parity_test.cpp";
  add(Case("ctc_loss").normal("log_probs", {6, 2, 4})
          .values("targets", {2, 3}, {1, 2, 3, 3, 1, 0}, DType::i64)
          .values("input_lengths", {2}, {6, 5}, DType::i64)
          .values("target_lengths", {2}, {3, 2}, DType::i64)
          .no_gradcheck(rule).note("padded targets [2,3], a shorter input, reduction mean"));
  add(Case("ctc_loss", "repeats_none").normal("log_probs", {7, 2, 3})
          .values("targets", {2, 4}, {1, 1, 2, 2, 2, 1, 1, 0}, DType::i64)
          .values("input_lengths", {2}, {7, 7}, DType::i64)
          .values("target_lengths", {2}, {4, 3}, DType::i64).attr("reduction", "none")
          .no_gradcheck(rule)
          .note("targets with repeats (a blank must separate them), reduction none"));
  add(Case("ctc_loss", "concat_blank_sum").normal("log_probs", {5, 3, 4})
          .values("targets", {5}, {0, 1, 2, 1, 0}, DType::i64)
          .values("input_lengths", {3}, {5, 4, 3}, DType::i64)
          .values("target_lengths", {3}, {2, 0, 3}, DType::i64).attr("blank", 3)
          .attr("reduction", "sum").no_gradcheck(rule)
          .note("concatenated targets, blank 3, an empty target, reduction sum"));
  add(Case("ctc_loss", "infeasible_zero_inf").normal("log_probs", {4, 2, 3})
          .values("targets", {2, 3}, {1, 1, 1, 2, 1, 0}, DType::i64)
          .values("input_lengths", {2}, {4, 4}, DType::i64)
          .values("target_lengths", {2}, {3, 2}, DType::i64).attr("zero_infinity", true)
          .attr("reduction", "none").no_gradcheck(rule)
          .note("zero_infinity: 1,1,1 needs 5 frames (infeasible: 0), the other sample is "
                "feasible"));
  add(Case("ctc_loss", "zero_inf_mean").normal("log_probs", {4, 2, 3})
          .values("targets", {2, 3}, {1, 1, 1, 2, 1, 0}, DType::i64)
          .values("input_lengths", {2}, {4, 3}, DType::i64)
          .values("target_lengths", {2}, {3, 2}, DType::i64).attr("zero_infinity", true)
          .no_gradcheck(rule).note("zero_infinity under mean"));
  add(Case("ctc_loss", "unbatched").normal("log_probs", {5, 4})
          .values("targets", {3}, {2, 2, 1}, DType::i64)
          .values("input_lengths", {}, {5}, DType::i64)
          .values("target_lengths", {}, {3}, DType::i64).no_gradcheck(rule)
          .note("unbatched log_probs [T, C], targets [S], lengths []"));
}
