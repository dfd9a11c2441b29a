// Test cases for ops/special/cummax.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cummax) {
  add(Case("cummax").distinct("x", {3, 6}).note("no ties, last dim"));
  add(Case("cummax", "dim0").distinct("x", {5, 2}).attr("dim", 0).note("dim 0"));
  add(Case("cummax", "ties").values("x", {6}, {1.0, 3.0, 3.0, 2.0, 3.0, 0.5})
          .at_kink("tied maxima: the later index wins, as torch.cummax"));
}
