// Test cases for ops/nn/gelu.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(gelu) {
  add(Case("gelu").in("x", {3, 4}, -3.0, 3.0).note("exact erf form, default approximate"));
  add(Case("gelu", "none").normal("x", {3, 4}, 2.0).attr("approximate", "none")
          .oracle_only("basic gradchecks the erf form").note("exact erf form"));
  add(Case("gelu", "tanh").normal("x", {3, 4}, 2.0).attr("approximate", "tanh")
          .note("tanh approximation"));
}
