// Test cases for losses/divergence/frechet_distance.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(frechet_distance) {
  add(Case("frechet_distance").normal("f1", {20, 3}).normal("f2", {18, 3}, 1.5)
          .note("20 and 18 features in 3-D, the second set wider"));
  add(Case("frechet_distance", "few").normal("f1", {6, 2}).in("f2", {5, 2}, -1.0, 2.0)
          .attr("eps", 1e-3).note("small sets in 2-D, eps 1e-3"));
}
