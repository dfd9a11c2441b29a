// Test cases for ops/prim/atan2.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(atan2) {
  add(Case("atan2").in("a", {3, 4}).in("b", {3, 4}).note("every quadrant"));
  add(Case("atan2", "broadcast").in("a", {2, 3, 4}).away("b", {4}, 0.3)
          .note("b broadcast over the leading axes"));
}
