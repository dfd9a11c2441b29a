// Test cases for ops/metric/transfer_score.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(transfer_score) {
  add(Case("transfer_score").normal("weight", {5, 4}).normal("features", {16, 4})
          .probs("probs", {2, 6, 5}).in("uniform_points", {2, 4}, -1.5, 1.5)
          .values("sample_index", {2}, {3, 11}, DType::i64)
          .note("C 5, N 16, two target batches of 6, m 2 Hopkins points"));
  add(Case("transfer_score", "two_classes").normal("weight", {2, 3}).normal("features", {12, 3})
          .probs("probs", {3, 4, 2}).in("uniform_points", {3, 3}, -1.0, 1.0)
          .values("sample_index", {3}, {0, 5, 9}, DType::i64)
          .note("C = 2: the simplex angle is pi"));
}
