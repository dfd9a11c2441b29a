// Test cases for ops/nn/transpose.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(transpose) {
  add(Case("transpose").normal("x", {3, 4}).note("[3,4], default dims 0 and 1"));
  add(Case("transpose", "outer").normal("x", {2, 3, 4}).attr("dim0", 0).attr("dim1", 2)
          .note("[2,3,4], dims 0 and 2"));
}
