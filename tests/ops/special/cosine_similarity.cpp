// Test cases for ops/special/cosine_similarity.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cosine_similarity) {
  add(Case("cosine_similarity").in("a", {3, 4}).in("b", {3, 4}).note("dim 1"));
  add(Case("cosine_similarity", "broadcast").in("a", {2, 3, 4}).in("b", {4}).attr("dim", -1)
          .note("b broadcast, last dim"));
  add(Case("cosine_similarity", "tiny").values("a", {2, 3}, {1e-9, 2e-9, 0.0, 0.3, 0.4, 0.5})
          .values("b", {2, 3}, {0.5, -1.0, 2.0, 1.0, 1.0, 1.0})
          .at_kink("a row of norm 2e-9 < eps: PyTorch 1.13 clamps it with no gradient, so its"
                   " gradient is not the derivative (no finite differences)"));
  add(Case("normalize").in("x", {3, 4}).note("p = 2, dim 1"));
  add(Case("normalize", "p1").away("x", {2, 3, 2}).attr("p", 1.0).attr("dim", 0)
          .note("p = 1, dim 0"));
}
