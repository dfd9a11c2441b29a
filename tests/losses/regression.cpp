// Test cases for losses/regression/mse_loss.cpp and l1_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(regression_losses) {
  add(Case("mse_loss").normal("input", {3, 4}).normal("target", {3, 4}).note("[3,4]"));
  add(Case("mse_loss", "sum").in("input", {2, 3}).in("target", {2, 3}).attr("reduction", "sum")
          .note("[2,3], reduction sum"));
  add(Case("mse_loss", "none").normal("input", {5}).normal("target", {5})
          .attr("reduction", "none").note("[5], reduction none"));
  // distinct values keep input - target away from 0, l1's kink
  add(Case("l1_loss").distinct("input", {3, 4}).distinct("target", {3, 4}).note("[3,4]"));
  add(Case("l1_loss", "none").distinct("input", {5}).distinct("target", {5})
          .attr("reduction", "none").note("[5], reduction none"));
  add(Case("l1_loss", "sum").in("input", {3, 4}).in("target", {3, 4}, 3.0, 7.0)
          .attr("reduction", "sum").note("[3,4], away from equality, reduction sum"));
  add(Case("l1_loss", "at_zero")
          .values("input", {4}, {1.0, 2.0, 3.0, -1.0})
          .values("target", {4}, {1.0, 0.5, 3.0, 2.0})
          .at_kink("input == target in two places: subgradient 0")
          .note("input == target in two places: subgradient 0"));
}
