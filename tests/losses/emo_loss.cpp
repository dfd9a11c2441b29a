// Test cases for losses/lm/emo_loss.cpp (conformance, oracle; its defined backward is checked
// against PyTorch's autograd of the same detached scale, not finite differences).
#include "tests/support/cases.h"

LATHE_CASES(emo_loss) {
  using lathe::DType;
  const char* why = "the detached scale mle / (emo + 1e-10) depends on the logits";
  add(Case("emo_loss").normal("input", {6, 9}).values("target", {6}, {1, 2, -100, 4, 0, 8},
                                                      DType::i64)
          .normal("cost_embedding", {9, 5}).no_gradcheck(why)
          .note("the catalog's example: one ignored token"));
  add(Case("emo_loss", "v2_none").normal("input", {4, 2}).index("target", {4}, 2)
          .normal("cost_embedding", {2, 3}).attr("reduction", "none").no_gradcheck(why)
          .note("V = 2, reduction none"));
  add(Case("emo_loss", "sum").normal("input", {3, 5}, 3.0)
          .values("target", {3}, {4, 0, 7}, DType::i64).normal("cost_embedding", {5, 4})
          .attr("ignore_index", 7).attr("reduction", "sum").no_gradcheck(why)
          .note("ignore_index 7, large logits, reduction sum"));
}
