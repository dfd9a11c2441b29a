// Test cases for losses/regression/lasso_objective_loss.cpp and l0_objective_loss.cpp
// (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sparse_objective_losses) {
  add(Case("lasso_objective_loss").away("input", {3, 6}).normal("measurements", {3, 4})
          .normal("matrix", {4, 6}).attr("lam", 0.1)
          .note("the catalog's example: [3,6] estimates away from 0, lambda 0.1"));
  add(Case("lasso_objective_loss", "lam0_none").normal("input", {2, 3})
          .normal("measurements", {2, 5}).normal("matrix", {5, 3}).attr("lam", 0.0)
          .attr("reduction", "none").note("lambda 0: least squares, reduction none"));
  add(Case("lasso_objective_loss", "zeros").values("input", {1, 4}, {0.0, 0.5, 0.0, -1.0})
          .normal("measurements", {1, 2}).normal("matrix", {2, 4}).attr("lam", 0.3)
          .at_kink("exact zeros in x^: the L1 subgradient 0").note("exact zeros in x^"));
  add(Case("l0_objective_loss").away("input", {3, 6}).normal("measurements", {3, 4})
          .normal("matrix", {4, 6}).attr("lam", 0.1)
          .note("the catalog's example, no zero entry"));
  add(Case("l0_objective_loss", "zeros_sum").values("input", {2, 3}, {0.0, 0.5, 0.0, -1.0, 0, 2})
          .normal("measurements", {2, 2}).normal("matrix", {2, 3}).attr("lam", 0.5)
          .attr("reduction", "sum")
          .at_kink("exact zeros: the count jumps there").note("exact zeros count as inactive"));
}
