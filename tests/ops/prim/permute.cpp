// Test cases for ops/prim/permute.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(permute) {
  add(Case("permute").normal("x", {2, 3, 4}).attr("dims", lathe::Axes{2, 0, 1})
          .note("[2,3,4] dims [2,0,1]"));
}
