// Test cases for losses/ranking/bidirectional_repair_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(bidirectional_repair_loss) {
  using lathe::DType;
  add(Case("bidirectional_repair_loss").normal("scores", {1, 10})
          .values("victim_topk", {1, 3}, {1, 2, 3}, DType::i64)
          .values("surrogate_topk", {1, 3}, {2, 5, 7}, DType::i64)
          .note("the catalog's example: up {1, 3}, down {5, 7}"));
  add(Case("bidirectional_repair_loss", "lists_none").normal("scores", {3, 6})
          .values("victim_topk", {3, 2}, {0, 1, 2, 3, 4, 5}, DType::i64)
          .values("surrogate_topk", {3, 3}, {1, 0, 5, 2, 3, 3, 0, 1, 2}, DType::i64)
          .attr("reduction", "none")
          .note("three lists: one pair, identical sets (0), disjoint lists; K' != K"));
}
