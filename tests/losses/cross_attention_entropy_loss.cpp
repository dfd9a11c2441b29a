// Test cases for losses/entropy/cross_attention_entropy_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(cross_attention_entropy_loss) {
  add(Case("cross_attention_entropy_loss").distinct("attn", {4, 4, 3})
          .values("token_idx", {2}, {0, 2}, DType::i64)
          .note("maps [4,4] of 3 tokens, tokens 0 and 2 selected, temperature 0.5"));
  add(Case("cross_attention_entropy_loss", "one_token").distinct("attn", {3, 5, 4})
          .values("token_idx", {1}, {1}, DType::i64).attr("temperature", 1.0)
          .note("one selected token, temperature 1"));
}
