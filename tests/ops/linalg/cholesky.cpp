// Test cases for ops/linalg/cholesky.cpp: cholesky and solve_triangular (gradcheck,
// conformance, oracle). Symmetric positive-definite inputs are given as values.
#include "tests/support/cases.h"

LATHE_CASES(linalg_cholesky) {
  add(Case("cholesky").values("a", {3, 3}, {12.37, -0.09, -3.89, -0.09, 2.07, 1.44, -3.89, 1.44,
                                            6.38})
          .note("symmetric positive-definite [3,3]"));
  add(Case("cholesky", "batch")
          .values("a", {2, 3, 3}, {12.72, -0.71, -1.11, -0.71, 3.14, 0.04, -1.11, 0.04, 1.94,
                                   2.46, 1.36, -0.24, 1.36, 4.44, -0.97, -0.24, -0.97, 5.57})
          .note("a batch of two [3,3]"));
  add(Case("cholesky", "one").values("a", {1, 1}, {2.5}).note("[1,1]: sqrt"));
  add(Case("solve_triangular")
          .values("a", {3, 3}, {2.26, 0.19, 1.11, -0.96, 2.38, 0.58, 0.7, -0.44, 1.6})
          .in("b", {3, 2})
          .note("lower: the entries above the diagonal are not read (zero gradient)"));
  add(Case("solve_triangular", "upper")
          .values("a", {3, 3}, {2.26, 0.19, 1.11, -0.96, 2.38, 0.58, 0.7, -0.44, 1.6})
          .in("b", {2, 3, 1}).attr("upper", true)
          .note("upper, b [2,3,1] broadcasts a over its batch"));
}
