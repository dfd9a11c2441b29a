// Test cases for losses/lm/faithfulness_contrastive_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(faithfulness_contrastive_loss) {
  using lathe::DType;
  add(Case("faithfulness_contrastive_loss").normal("h", {2, 4, 2, 3})
          .values("labels", {2, 4, 2}, {1, 2, 3, -100, 4, 5, 6, 7, 1, 1, -100, 2, 3, 4, 5, 6},
                  DType::i64)
          .note("faith_fft.sh's layout: 4 candidates, n_pos 2, padded positions"));
  add(Case("faithfulness_contrastive_loss", "npos3_none").normal("h", {2, 4, 2, 2})
          .index("labels", {2, 4, 2}, 9).attr("n_pos", 3).attr("reduction", "none")
          .note("n_pos 3 (three positive pairs, anchors the lower index), reduction none"));
  add(Case("faithfulness_contrastive_loss", "all_positive_sum").normal("h", {1, 3, 3, 2})
          .values("labels", {1, 3, 3}, {0, 0, 0, 0, 0, 0, 0, 0, 0}, DType::i64)
          .attr("n_pos", 3).attr("reduction", "sum")
          .note("every candidate positive, no padding, reduction sum"));
}
