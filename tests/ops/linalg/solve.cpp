// Test cases for ops/linalg/solve.cpp: solve, inv, det, slogdet (gradcheck, conformance,
// oracle). Well-conditioned inputs are given as values.
#include "tests/support/cases.h"

LATHE_CASES(linalg_solve) {
  const std::vector<double> gen3 = {3.23, -2.49, 0.69, 0.49, 1.36, 0.06, -0.96, 0.76, 0.97};
  const std::vector<double> gen3b = {2.09, 0.71,  1.16,  -2.16, 2.5,  0.33, -0.61, 1.59, 1.81,
                                     3.35, -1.05, 1.41, -0.02, 2.63, -1.72, 1.68, 0.75, 3.75};
  const std::vector<double> neg3 = {-1.86, 0.35, -0.64, -0.8, -0.8, 1.37, -1.46, -0.6, -0.32};
  add(Case("solve").values("a", {3, 3}, gen3).in("b", {3, 2}).note("b [3,2]"));
  add(Case("solve", "vector").values("a", {2, 3, 3}, gen3b).in("b", {2, 3})
          .note("b [2,3] = a.shape[:-1]: one vector per matrix"));
  add(Case("solve", "broadcast").values("a", {3, 3}, gen3).in("b", {2, 3, 2})
          .note("a [3,3] broadcast over b's batch [2]"));
  add(Case("inv").values("a", {3, 3}, gen3));
  add(Case("inv", "batch").values("a", {2, 3, 3}, gen3b));
  add(Case("det").values("a", {3, 3}, neg3).note("negative determinant"));
  add(Case("det", "batch").values("a", {2, 3, 3}, gen3b));
  add(Case("slogdet").values("a", {3, 3}, neg3).note("sign -1"));
  add(Case("slogdet", "batch").values("a", {2, 3, 3}, gen3b));
}
