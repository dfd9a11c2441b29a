// Test cases for ops/linalg/eigh.cpp: eigh, eigvalsh, sqrtm_psd (gradcheck, conformance,
// oracle). The ops read sym(a), so a need not be symmetric; the eigenvalues of these inputs are
// well apart (repeated ones: tests/ops/linalg/linalg_test.cpp).
#include "tests/support/cases.h"

LATHE_CASES(linalg_eigh) {
  const std::vector<double> spd3 = {12.37, -0.09, -3.89, -0.09, 2.07, 1.44, -3.89, 1.44, 6.38};
  const std::vector<double> spd3b = {12.72, -0.71, -1.11, -0.71, 3.14, 0.04, -1.11, 0.04, 1.94,
                                     2.46,  1.36,  -0.24, 1.36,  4.44, -0.97, -0.24, -0.97, 5.57};
  add(Case("eigh").values("a", {3, 3}, spd3).note("symmetric [3,3]"));
  add(Case("eigh", "batch").values("a", {2, 3, 3}, spd3b).note("a batch of two"));
  add(Case("eigh", "nonsymmetric")
          .values("a", {3, 3}, {1.0, 0.4, -2.0, 1.2, -0.5, 0.3, 0.8, 2.2, 3.0})
          .note("not symmetric: the op reads (a + a^T) / 2"));
  add(Case("eigvalsh").values("a", {3, 3}, spd3));
  add(Case("eigvalsh", "batch").values("a", {2, 3, 3}, spd3b));
  add(Case("sqrtm_psd").values("a", {3, 3}, spd3).note("positive-definite [3,3]"));
  add(Case("sqrtm_psd", "batch").values("a", {2, 3, 3}, spd3b));
}
