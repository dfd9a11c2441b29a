// Test cases for ops/nn/silu.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(silu) {
  add(Case("silu").normal("x", {3, 4}, 2.0).note("[3,4]"));
}
