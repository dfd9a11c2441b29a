// Test cases for ops/metric/dc_pdd_score.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(dc_pdd_score) {
  add(Case("dc_pdd_score").in("token_probs", {7}, 0.0, 0.01)
          .values("token_ids", {7}, {3, 5, 3, 9, 1, 5, 0}, DType::i64)
          .values("counts", {10}, {4, 0, 17, 2, 9, 30, 1, 0, 5, 12})
          .note("repeated ids (first occurrences kept), zero counts (Laplace smoothing)"));
  add(Case("dc_pdd_score", "clipped").in("token_probs", {5}, 0.0, 0.5)
          .values("token_ids", {5}, {0, 1, 2, 3, 1}, DType::i64)
          .values("counts", {4}, {100, 3, 50, 7}).attr("a", 0.05)
          .note("large probabilities hit the clip a = 0.05"));
}
