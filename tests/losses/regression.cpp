// Test cases for losses/regression/mse_loss.cpp and l1_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(regression_losses) {
  add(Case("mse_loss").in("input", {3, 4}).in("target", {3, 4}));
  add(Case("mse_loss", "sum").in("input", {2, 3}).in("target", {2, 3}).attr("reduction", "sum"));
  add(Case("mse_loss", "none").in("input", {5}).in("target", {5}).attr("reduction", "none"));
  // distinct values keep input - target away from 0, l1's kink
  add(Case("l1_loss").distinct("input", {3, 4}).distinct("target", {3, 4}));
  add(Case("l1_loss", "none").distinct("input", {5}).distinct("target", {5})
          .attr("reduction", "none"));
}
