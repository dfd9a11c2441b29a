// Test cases for ops/activation/feature_choice_activation.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(feature_choice_activation) {
  add(Case("feature_choice_activation").normal("h", {6, 5}).attr("m", 2)
          .note("the catalog's example: H [6,5], 2 tokens per feature"));
  add(Case("feature_choice_activation", "whole").normal("h", {3, 4}).attr("m", 3)
          .note("m = N: whole columns kept (dense relu)"));
  add(Case("feature_choice_activation", "one").normal("h", {8, 3}).attr("m", 1)
          .note("one token per feature"));
}
