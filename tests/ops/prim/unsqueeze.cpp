// Test cases for ops/prim/unsqueeze.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(unsqueeze) {
  add(Case("unsqueeze", "last").normal("x", {3, 4}).attr("axis", -1)
          .note("[3,4] axis -1 -> [3,4,1]"));
  add(Case("unsqueeze", "first").normal("x", {3, 4}).note("[3,4] default axis 0 -> [1,3,4]"));
}
