// Test cases for ops/nn/softmax_cross_entropy.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(softmax_cross_entropy) {
  add(Case("softmax_cross_entropy").in("x", {5, 4}, -3.0, 3.0).index("labels", {5}, 4));
  add(Case("softmax_cross_entropy", "extreme")
          .values("x", {2, 3}, {1e4, 1e4 - 1, -1e4, -1e4, 3.0, 1e4 - 2})
          .values("labels", {2}, {1, 0}, lathe::DType::i64));
}

LATHE_CASES(softmax_cross_entropy_backward) {
  add(Case("softmax_cross_entropy_backward").in("g", {5}).in("x", {5, 4}, -3.0, 3.0)
          .index("labels", {5}, 4).in("lse", {5}, 2.0, 4.0));
}
