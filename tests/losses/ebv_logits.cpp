// Test cases for losses/classification/ebv_logits.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(ebv_logits) {
  add(Case("ebv_logits").normal("features", {4, 6}).normal("basis", {5, 6})
          .note("[4,6] features, a [5,6] basis, tau 0.07"));
  add(Case("ebv_logits", "tau1").normal("features", {3, 4}, 5.0).normal("basis", {3, 4})
          .attr("tau", 1.0).note("features of scale 5 (normalized away), tau 1"));
}
