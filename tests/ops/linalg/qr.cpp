// Test cases for ops/linalg/qr.cpp (gradcheck, conformance, oracle): tall and square, full
// rank (the gradient of a wide A is not implemented: tests/ops/linalg/linalg_test.cpp).
#include "tests/support/cases.h"

LATHE_CASES(linalg_qr) {
  add(Case("qr").values("a", {4, 3}, {1.0, 0.4, -2.0, 1.2, -0.5, 0.3, 0.8, 2.2, 3.0, -1.1, 0.6,
                                      0.9})
          .note("tall [4,3]"));
  add(Case("qr", "square_batch").values("a", {2, 3, 3}, {2.09, 0.71, 1.16, -2.16, 2.5, 0.33,
                                                         -0.61, 1.59, 1.81, 3.35, -1.05, 1.41,
                                                         -0.02, 2.63, -1.72, 1.68, 0.75, 3.75}));
}
