// Test cases for ops/special/roll.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(roll) {
  add(Case("roll").in("x", {3, 5}).attr("shifts", std::vector<int64_t>{2, -1})
          .attr("dims", std::vector<int64_t>{1, 0}).note("two dims, a negative shift"));
  add(Case("roll", "flat").in("x", {2, 3}).attr("shifts", std::vector<int64_t>{7})
          .note("no dims: the flattened tensor, shift past its length"));
}
