// Test cases for ops/nn/softmax_cross_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(softmax_cross_entropy) {
  add(Case("softmax_cross_entropy")
          .normal("x", {5, 4}, 2.0)
          .values("labels", {5}, {0, 3, 1, 3, 2}, lathe::DType::i64)
          .note("logits [5,4], labels [5]"));
  add(Case("softmax_cross_entropy", "extreme")
          .values("x", {2, 3}, {1e4, 1e4 - 1, -1e4, -1e4, 3.0, 1e4 - 2})
          .values("labels", {2}, {1, 0}, lathe::DType::i64)
          .note("logits near +-1e4: no overflow, no NaN"));
}

// lse is a free input here (any value is valid); in use it is logsumexp(x) along the classes.
LATHE_CASES(softmax_cross_entropy_backward) {
  add(Case("softmax_cross_entropy_backward").in("g", {5}).in("x", {5, 4}, -3.0, 3.0)
          .index("labels", {5}, 4).in("lse", {5}, 2.0, 4.0)
          .note("g [5], logits [5,4], labels, lse in [2, 4]"));
}
