// Test cases for ops/prim/expm1.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(expm1) {
  add(Case("expm1").normal("x", {2, 3, 4}).note("3-D input, standard normal inputs"));
  add(Case("expm1", "tiny").values("x", {4}, {1e-12, -3e-9, 2e-6, -1e-4})
          .note("|x| << 1, where exp(x) - 1 would lose every digit"));
}
