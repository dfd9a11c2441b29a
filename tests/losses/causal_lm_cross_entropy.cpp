// Test cases for losses/lm/causal_lm_cross_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(causal_lm_cross_entropy) {
  using lathe::DType;
  add(Case("causal_lm_cross_entropy").normal("logits", {2, 5, 6})
          .values("labels", {2, 5}, {-100, -100, 3, 5, 0, 1, 2, 5, 4, 3}, DType::i64)
          .note("the catalog's example (V 6 to fit a fixture): a prompt of two ignored labels"));
  add(Case("causal_lm_cross_entropy", "none").normal("logits", {2, 4, 5})
          .values("labels", {2, 4}, {0, 1, -100, 4, 2, 3, 3, -100}, DType::i64)
          .attr("reduction", "none").note("reduction none: [B, T-1], 0 at ignored labels"));
  add(Case("causal_lm_cross_entropy", "no_shift_sum").normal("logits", {2, 3, 4}, 2.0)
          .values("labels", {2, 3}, {0, 3, -1, 1, 2, 2}, DType::i64).attr("shift", false)
          .attr("ignore_index", -1).attr("reduction", "sum")
          .note("corenet's convention: labels already shifted, ignore_index -1, sum"));
  add(Case("causal_lm_cross_entropy", "extreme").values("logits", {1, 3, 3},
                                                     {1e4, -1e4, 0, -1e4, 1e4, 0, 0, 0, 1e4})
          .values("labels", {1, 3}, {0, 1, 0}, DType::i64)
          .oracle_only("logits of +-1e4: the loss stays finite (one is ~2e4)")
          .note("extreme logits"));
}
