// Test cases for losses/lm/set_order_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(set_order_loss) {
  add(Case("set_order_loss").distinct("nll", {3, 6}).note("the catalog's example: 6 orderings"));
  add(Case("set_order_loss", "one_ordering_sum").distinct("nll", {4, 1}).attr("reduction", "sum")
          .note("a single candidate ordering: the NLL itself, reduction sum"));
  add(Case("set_order_loss", "none").distinct("nll", {2, 3}).attr("reduction", "none")
          .note("reduction none: one minimum per example"));
  add(Case("set_order_loss", "tie").values("nll", {1, 3}, {0.5, 0.5, 2.0})
          .at_kink("two orderings tie at the minimum: the gradient is split between them"));
}
