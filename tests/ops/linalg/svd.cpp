// Test cases for ops/linalg/svd.cpp: svd, svdvals, matrix_norm, pinv (gradcheck, conformance,
// oracle). Inputs are fixed values with well separated singular values.
#include "tests/support/cases.h"

LATHE_CASES(linalg_svd) {
  const std::vector<double> tall = {1.0, 0.4, -2.0, 1.2, -0.5, 0.3, 0.8, 2.2,
                                    3.0, -1.1, 0.6, 0.9};  // [4,3]
  const std::vector<double> sq = {2.09, 0.71,  1.16,  -2.16, 2.5,  0.33, -0.61, 1.59, 1.81,
                                  3.35, -1.05, 1.41, -0.02, 2.63, -1.72, 1.68, 0.75, 3.75};
  add(Case("svd").values("a", {4, 3}, tall).note("tall [4,3]: the (I - U U^T) term"));
  add(Case("svd", "wide").values("a", {3, 4}, tall).note("wide [3,4]: the (I - V Vh) term"));
  add(Case("svd", "square_batch").values("a", {2, 3, 3}, sq));
  add(Case("svdvals").values("a", {4, 3}, tall));
  add(Case("svdvals", "wide_batch").values("a", {2, 2, 3}, {1.0, 0.4, -2.0, 1.2, -0.5, 0.3, 0.8,
                                                            2.2, 3.0, -1.1, 0.6, 0.9}));
  add(Case("matrix_norm").values("a", {4, 3}, tall).note("fro"));
  add(Case("matrix_norm", "nuc").values("a", {2, 3, 3}, sq).attr("ord", "nuc"));
  add(Case("matrix_norm", "spectral").values("a", {3, 4}, tall).attr("ord", "2"));
  add(Case("pinv").values("a", {4, 3}, tall));
  add(Case("pinv", "wide").values("a", {3, 4}, tall));
}
