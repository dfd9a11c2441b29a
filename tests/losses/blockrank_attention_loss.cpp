// Test cases for losses/ranking/blockrank_attention_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(blockrank_attention_loss) {
  using lathe::DType;
  add(Case("blockrank_attention_loss").normal("scores", {2, 1, 2, 15}, 0.5)
          .values("pos_mask", {2, 3}, {0, 1, 0, 1, 0, 1}, DType::boolean).attr("block_len", 3)
          .note("the catalog's example at fixture size: 5 blocks of 3 (3 documents), one head, "
                "2 signal rows, tau 0.05"));
  add(Case("blockrank_attention_loss", "tau_sum").normal("scores", {2, 1, 1, 12}, 2.0)
          .values("pos_mask", {2, 2}, {1, 1, 0, 1}, DType::boolean).attr("block_len", 3)
          .attr("tau", 0.5).attr("reduction", "sum")
          .note("4 blocks of 3 (2 documents), every document relevant in one example, tau 0.5"));
  add(Case("blockrank_attention_loss", "none_no_positive").normal("scores", {3, 2, 1, 8})
          .values("pos_mask", {3, 2}, {0, 0, 1, 0, 0, 1}, DType::boolean).attr("block_len", 2)
          .attr("reduction", "none").no_oracle("an example without a relevant document is 0 "
                                                "here, infinite in the reference")
          .note("reduction none, one example without a relevant document"));
}
