// Test cases for losses/other/datamodel_matching_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(datamodel_matching_loss) {
  add(Case("datamodel_matching_loss").normal("input", {4, 3}).normal("target", {4, 3})
          .note("outputs [4,3] against predicted outputs"));
  add(Case("datamodel_matching_loss", "none").normal("input", {5, 2}).normal("target", {5, 2})
          .attr("reduction", "none").note("reduction none: [B]"));
  add(Case("datamodel_matching_loss", "equal_sum")
          .values("input", {2, 2}, {0.5, -1.0, 2.0, 0.0})
          .values("target", {2, 2}, {0.5, -1.0, 2.0, 0.0}).attr("reduction", "sum")
          .note("outputs equal to the predictions: 0, gradient 0"));
}
