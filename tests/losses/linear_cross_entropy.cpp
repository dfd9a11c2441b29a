// Test cases for losses/lm/linear_cross_entropy.cpp (gradcheck, conformance, oracle). Small
// blocks so that the blockwise paths (partial row and vocabulary blocks, the online merge) run.
#include "tests/support/cases.h"

LATHE_CASES(linear_cross_entropy) {
  using lathe::DType;
  add(Case("linear_cross_entropy").normal("hidden", {2, 4, 3}).normal("weight", {5, 3})
          .values("target", {2, 4}, {1, -100, 3, 4, 0, 2, 2, 1}, DType::i64)
          .attr("row_block", 3).attr("vocab_block", 2)
          .note("[B, T, H] input, one ignored target, blocks 3 x 2 (V = 5, N = 8: partial)"));
  add(Case("linear_cross_entropy", "bias_softcap_shift1").normal("hidden", {2, 4, 3})
          .normal("weight", {5, 3}, 2.0).normal("bias", {5}).index("target", {2, 4}, 5)
          .attr("softcap", 2.0).attr("shift", 1).attr("row_block", 4).attr("vocab_block", 3)
          .note("the catalog's first example: softcap, shift true, with a bias"));
  add(Case("linear_cross_entropy", "shift2_none").normal("hidden", {2, 5, 3})
          .normal("weight", {6, 3}).normal("bias", {6})
          .values("target", {2, 5}, {0, 1, 2, -100, 4, 5, 0, 1, 2, 3}, DType::i64)
          .attr("shift", 2).attr("reduction", "none").attr("row_block", 2).attr("vocab_block", 4)
          .note("shift 2, reduction none: shape [B, T-2], an ignored target inside the window"));
  add(Case("linear_cross_entropy", "smoothing_sum_rows").normal("hidden", {6, 3})
          .normal("weight", {7, 3}).index("target", {6}, 7).attr("label_smoothing", 0.2)
          .attr("reduction", "sum").attr("shift", 1).attr("vocab_block", 3)
          .note("[N, H] input (shift along N), label smoothing 0.2, reduction sum"));
  add(Case("linear_cross_entropy", "smoothing_softcap").normal("hidden", {4, 3})
          .normal("weight", {5, 3}).normal("bias", {5}).values("target", {4}, {0, -100, 4, 2},
                                                                 DType::i64)
          .attr("label_smoothing", 0.1).attr("softcap", 1.5).attr("vocab_block", 2)
          .note("smoothing's row sum through the softcap, one ignored target"));
  add(Case("linear_cross_entropy", "one_block").normal("hidden", {3, 4}).normal("weight", {6, 4})
          .index("target", {3}, 6).note("default blocks: one block holds everything"));
  add(Case("linear_cross_entropy", "huge_logits_softcap").normal("hidden", {3, 2}, 100.0)
          .normal("weight", {4, 2}, 100.0).index("target", {3}, 4).attr("softcap", 30.0)
          .attr("vocab_block", 3)
          .oracle_only("logits ~1e4 capped at 30: values stay finite, the cap saturates")
          .note("softcap with huge logits"));
}
