// Test cases for losses/distill/span_correlation_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(span_correlation_loss) {
  add(Case("span_correlation_loss").probs("input", {8, 6}).probs("teacher", {8, 6})
          .values("spans", {3, 2}, {0, 3, 4, 8, 3, 4}, DType::i64)
          .note("spans of 3, 4 and 1 tokens (the last contributes nothing)"));
  add(Case("span_correlation_loss", "no_pairs").probs("input", {4, 3}).probs("teacher", {4, 3})
          .values("spans", {2, 2}, {0, 1, 2, 3}, DType::i64)
          .note("only single-token spans: 0 with a graph"));
}
