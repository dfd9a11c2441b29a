// Test cases for ops/layer/nested_dropout.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(nested_dropout) {
  add(Case("nested_dropout").in("x", {2, 8, 3}).attr("k", 3)
          .note("first 3 of 8 channels kept along axis 1"));
  add(Case("nested_dropout", "identity").in("x", {2, 5}).attr("k", 5).note("k = D: identity"));
  add(Case("nested_dropout", "k1_nchw").in("x", {2, 4, 2, 2}).attr("k", 1)
          .note("k = 1 on an NCHW map"));
  add(Case("nested_dropout", "last_axis").in("x", {3, 6}).attr("k", 4).attr("axis", -1)
          .note("channels on the last axis"));
}
