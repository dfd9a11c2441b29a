// Test cases for ops/nn/softmax.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(softmax) {
  // Rows with +-1e4 and a row all -1e4 (its transpose for axis 0): max-shifted, they stay finite.
  const std::vector<double> kExtreme = {0.3, -1.2, 0.8, 2.0, 1e4,  -1e4,
                                        0.0, 1.0,  -1e4, -1e4, -1e4, -1e4};
  const std::vector<double> kExtremeT = {0.3, 1e4, -1e4, -1.2, -1e4, -1e4,
                                         0.8, 0.0, -1e4, 2.0,  1.0,  -1e4};
  add(Case("softmax", "last").normal("x", {3, 4}, 2.0).note("[3,4], default axis -1"));
  add(Case("softmax", "axis0").normal("x", {3, 4}, 2.0).attr("axis", 0).note("[3,4], axis 0"));
  add(Case("softmax", "extreme_pair")
          .values("x", {2, 3}, {1e4, 1e4 - 1, 0.0, -1e4, 3.0, -1e4 + 2})
          .note("rows near +-1e4"));
  add(Case("softmax", "extreme").values("x", {3, 4}, kExtreme)
          .oracle_only("extreme_pair gradchecks the max shift")
          .note("rows with +-1e4 and all -1e4: max-shifted, stays finite"));
  add(Case("softmax", "extreme_axis0").values("x", {4, 3}, kExtremeT).attr("axis", 0)
          .oracle_only("extreme_pair gradchecks the max shift")
          .note("the same logits transposed, axis 0"));
}

// y in the range softmax outputs have
LATHE_CASES(softmax_backward) {
  add(Case("softmax_backward").normal("g", {3, 5}).in("y", {3, 5}, 0.05, 0.5)
          .note("g [3,5], y in [0.05, 0.5], last axis"));
  add(Case("softmax_backward", "axis0").normal("g", {4, 3}).in("y", {4, 3}, 0.05, 0.5)
          .attr("axis", 0).note("g, y [4,3], axis 0"));
}
