// Test cases for losses/distill/generalized_jsd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(generalized_jsd_loss) {
  add(Case("generalized_jsd_loss").normal("student", {2, 3, 5})
          .normal("teacher", {2, 3, 5}, 2.0)
          .values("labels", {2, 3}, {1, -100, 4, 0, 2, -100}, DType::i64)
          .note("beta 0.5, [B 2, T 3, V 5], two tokens ignored"));
  add(Case("generalized_jsd_loss", "beta03_t8").normal("student", {4, 6}, 3.0)
          .normal("teacher", {4, 6}, 3.0).attr("beta", 0.3).attr("temperature", 8.0)
          .attr("reduction", "sum").note("beta 0.3, T 8, reduction sum"));
  add(Case("generalized_jsd_loss", "forward").normal("student", {3, 4})
          .normal("teacher", {3, 4}).attr("beta", 0.0).note("beta 0: forward KL"));
  add(Case("generalized_jsd_loss", "reverse").normal("student", {3, 4})
          .normal("teacher", {3, 4}).attr("beta", 1.0).attr("reduction", "none")
          .note("beta 1: reverse KL, reduction none"));
  add(Case("generalized_jsd_loss", "extreme_teacher").normal("student", {2, 3})
          .values("teacher", {2, 3}, {1e4, 0.0, -1e4, 0.0, 0.0, 0.0}).attr("beta", 0.9)
          .oracle_only("the values are the point").note("teacher logits +-1e4, beta 0.9"));
}
