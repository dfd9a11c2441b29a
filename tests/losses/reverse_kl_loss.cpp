// Test cases for losses/distill/reverse_kl_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(reverse_kl_loss) {
  add(Case("reverse_kl_loss").normal("student", {2, 3, 5}).normal("teacher", {2, 3, 5}, 2.0)
          .values("labels", {2, 3}, {1, -100, 4, 0, 2, -100}, DType::i64)
          .note("[B 2, T 3, V 5], two tokens ignored, mean over the 4 kept"));
  add(Case("reverse_kl_loss", "t8_sum").normal("student", {4, 6}, 3.0)
          .normal("teacher", {4, 6}, 3.0).attr("temperature", 8.0).attr("reduction", "sum")
          .note("T 8, no labels, reduction sum"));
  add(Case("reverse_kl_loss", "none").normal("student", {3, 4}).normal("teacher", {3, 4})
          .values("labels", {3}, {2, -1, 0}, DType::i64).attr("ignore_index", -1)
          .attr("reduction", "none").note("ignore_index -1, reduction none (0 at the ignored)"));
  add(Case("reverse_kl_loss", "extreme_teacher").normal("student", {2, 3})
          .values("teacher", {2, 3}, {1e4, 0.0, -1e4, 0.0, 0.0, 0.0})
          .oracle_only("the values are the point").note("teacher logits +-1e4"));
}
