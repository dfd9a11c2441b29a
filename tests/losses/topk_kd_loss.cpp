// Test cases for losses/distill/topk_kd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(topk_kd_loss) {
  add(Case("topk_kd_loss").normal("student", {2, 3, 6}).normal("teacher", {2, 3, 3}, 2.0)
          .values("teacher_indices", {2, 3, 3},
                  {5, 0, 2, 1, 3, 4, 0, 1, 2, 4, 5, 3, 2, 0, 1, 3, 1, 5}, DType::i64)
          .values("labels", {2, 3}, {1, -100, 4, 0, 2, -100}, DType::i64)
          .note("k 3 of V 6, [B 2, T 3], two tokens ignored"));
  add(Case("topk_kd_loss", "t8_sum").normal("student", {3, 5}, 3.0)
          .normal("teacher", {3, 2}, 3.0)
          .values("teacher_indices", {3, 2}, {4, 1, 0, 3, 2, 4}, DType::i64)
          .attr("temperature", 8.0).attr("reduction", "sum").note("k 2, T 8, reduction sum"));
  add(Case("topk_kd_loss", "full_vocab").normal("student", {2, 4}).normal("teacher", {2, 4})
          .values("teacher_indices", {2, 4}, {3, 1, 0, 2, 0, 1, 2, 3}, DType::i64)
          .attr("reduction", "none").note("k = V: every id once, the full forward KL"));
}
