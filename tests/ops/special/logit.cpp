// Test cases for ops/special/logit.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(logit) {
  add(Case("logit").in("x", {3, 4}, 0.05, 0.95).note("inside (0, 1), no eps"));
  add(Case("logit", "eps").in("x", {3, 4}, -0.2, 1.2).attr("eps", 0.1)
          .note("clamped to [0.1, 0.9]: no gradient outside (kinks at 0.1 and 0.9 unlikely)"));
}
