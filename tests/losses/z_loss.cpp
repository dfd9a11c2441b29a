// Test cases for losses/classification/z_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(z_loss) {
  using lathe::DType;
  add(Case("z_loss").normal("input", {5, 6}).index("target", {5}, 6)
          .note("pre-activations [5,6], a 1, b 0"));
  add(Case("z_loss", "a2_b15").normal("input", {5, 6}).index("target", {5}, 6)
          .attr("a", 2.0).attr("b", 1.5).note("the catalog example's a 2, b 1.5"));
  add(Case("z_loss", "c2_sum").normal("input", {4, 2}).index("target", {4}, 2)
          .attr("reduction", "sum").note("C = 2 (z_y = +-1), reduction sum"));
  add(Case("z_loss", "none").normal("input", {3, 4}, 10.0).index("target", {3}, 4)
          .attr("b", -0.5).attr("reduction", "none").note("large scale, reduction none"));
}
