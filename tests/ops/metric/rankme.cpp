// Test cases for ops/metric/rankme.cpp (gradcheck, conformance, oracle). Random Gaussian
// matrices have distinct non-zero singular values (svdvals is smooth there); rank-deficient
// inputs are checked by value in metric_test.cpp.
#include "tests/support/cases.h"

LATHE_CASES(rankme) {
  add(Case("rankme").normal("z", {6, 4}).note("embeddings [6, 4], N > D"));
  add(Case("rankme", "wide").normal("z", {3, 5}).note("N < D: min(N, D) = 3 singular values"));
  add(Case("rankme", "batch_eps").normal("z", {2, 5, 3}).attr("eps", 1e-5)
          .note("a batch of two matrices, eps 1e-5 (a monitor's value)"));
}
