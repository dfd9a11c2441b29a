// Test cases for losses/classification/normalized_softmax_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(normalized_softmax_loss) {
  add(Case("normalized_softmax_loss").normal("input", {5, 8}).normal("proxies", {3, 8})
          .index("target", {5}, 3).attr("temperature", 0.5)
          .note("[5,8] embeddings, 3 proxies, T 0.5"));
  add(Case("normalized_softmax_loss", "default_t").normal("input", {4, 6})
          .normal("proxies", {4, 6}).index("target", {4}, 4)
          .note("the default T 0.05 (sharp logits)"));
  add(Case("normalized_softmax_loss", "pre_ln").normal("input", {4, 5}, 3.0)
          .normal("proxies", {2, 5}).index("target", {4}, 2).attr("temperature", 0.1)
          .attr("pre_layernorm", true).attr("reduction", "sum")
          .note("pre_layernorm, T 0.1 (pyopenset's s = 10), reduction sum"));
}
