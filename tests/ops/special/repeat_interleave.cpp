// Test cases for ops/special/repeat_interleave.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(repeat_interleave) {
  add(Case("repeat_interleave").in("x", {3, 2}).note("two copies along dim 0"));
  add(Case("repeat_interleave", "last").in("x", {2, 3}).attr("repeats", 3).attr("dim", -1)
          .note("three copies along the last dim"));
}
