// Test cases for ops/prim/sign.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sign) {
  add(Case("sign").away("x", {2, 3, 4}, 0.2)
          .note("3-D input, |x| >= 0.2; gradient is 0 everywhere"));
  add(Case("sign", "at_zero")
          .values("x", {3, 4}, {0.0, -0.0, 1.3, 0.0, -0.7, 0.4, 0.0, 1.9, -1.1, 0.0, 0.6, -1.6})
          .at_kink("exact 0 and -0.0 among nonzeros")
          .note("exact 0 and -0.0 among nonzeros: PyTorch's gradient at 0 is 0"));
}
