// Test cases for losses/regression/masked_mae_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(masked_mae_loss) {
  // targets on the half grid, inputs on the integer grid: |input - target| >= 0.1, off the kink
  add(Case("masked_mae_loss").on_grid("input", {2, 6})
          .values("target", {2, 6}, {0, 0, 0, 1.5, -0.5, 2.5, 0.5, 0, -1.5, 1.5, 0.5, -2.5})
          .note("[2,6], four missing (zero) targets re-weight the rest to mean 1"));
  add(Case("masked_mae_loss", "none").on_grid("input", {3, 4}).on_grid("target", {3, 4}, true)
          .attr("reduction", "none").note("no zero target (weights 1), reduction none"));
  add(Case("masked_mae_loss", "sum_3d").on_grid("input", {2, 3, 2})
          .values("target", {2, 3, 2}, {0.5, 0, 1.5, 0, 0, -0.5, 2.5, 0, 0, 0, -1.5, 0.5})
          .attr("reduction", "sum").note("[2,3,2], half the targets missing, reduction sum"));
  add(Case("masked_mae_loss", "at_zero").values("input", {4}, {1.5, 0.3, -0.5, 2.0})
          .values("target", {4}, {1.5, 0, -1.0, 2.0})
          .at_kink("input == target in two places: subgradient 0")
          .note("input == target twice (subgradient 0), one missing target"));
}
