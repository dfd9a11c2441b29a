// Test cases for losses/lm/unlikelihood_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(unlikelihood_loss) {
  using lathe::DType;
  add(Case("unlikelihood_loss").probs("probs", {5, 7})
          .values("target", {5}, {1, 2, -100, 3, 6}, DType::i64)
          .note("the catalog's example: softmax rows, one padding token, eps 0.1"));
  add(Case("unlikelihood_loss", "eps0").probs("probs", {4, 3}).index("target", {4}, 3)
          .attr("eps", 0.0).note("eps 0: pure unlikelihood, nothing ignored"));
  add(Case("unlikelihood_loss", "ignore1_eps05").probs("probs", {4, 6})
          .values("target", {4}, {1, 5, 1, 0}, DType::i64).attr("ignore_index", 1)
          .attr("eps", 0.5).note("ignore_index 1 (two tokens), eps 0.5"));
  add(Case("unlikelihood_loss", "none").probs("probs", {3, 4})
          .values("target", {3}, {3, -100, 0}, DType::i64).attr("reduction", "none")
          .note("reduction none: 0 at the padding token"));
}
