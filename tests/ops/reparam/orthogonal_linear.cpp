// Test cases for ops/reparam/orthogonal_linear.cpp (gradcheck, conformance, oracle against
// torch.matrix_exp, torch.linalg.solve and torch.linalg.householder_product).
#include "tests/support/cases.h"

LATHE_CASES(orthogonal_linear) {
  add(Case("orthogonal_linear").normal("x", {4, 4}, 0.5)
          .note("square, matrix_exp, no base (Q itself)"));
  add(Case("orthogonal_linear", "base").normal("x", {3, 3}, 0.5).normal("base", {3, 3})
          .note("with a base matrix on the left (the trivialization's buffer)"));
  add(Case("orthogonal_linear", "zero").values("x", {3, 3}, std::vector<double>(9, 0.0))
          .normal("base", {3, 3}).note("X = 0: W = base"));
  add(Case("orthogonal_linear", "cayley").normal("x", {4, 4}, 0.5).attr("kind", "cayley")
          .note("the Cayley map (I - A/2)^-1 (I + A/2)"));
  add(Case("orthogonal_linear", "large_a").normal("x", {3, 3}, 3.0)
          .note("|A| up to ~10: several squarings of the Taylor series"));
  add(Case("orthogonal_linear", "tall_exp").normal("x", {5, 3}, 0.5)
          .note("non-square [5, 3] through matrix_exp: embedded in [5, 5], first 3 columns"));
  add(Case("orthogonal_linear", "wide_cayley").normal("x", {2, 4}, 0.5).attr("kind", "cayley")
          .normal("base", {4, 4}).note("a wide [2, 4] weight: transposed, then back"));
  add(Case("orthogonal_linear", "householder")
          .values("x", {4, 2}, {-1.5, 0.3, 0.5, 1.4, -0.7, 0.2, 0.4, -0.6})
          .attr("kind", "householder")
          .note("householder on [4, 2]; the diagonal (-1.5, 1.4) enters truncated: -1, 1"));
  add(Case("orthogonal_linear", "householder_base")
          .values("x", {3, 2}, {-1.0, 0.0, 0.8, -1.0, -0.3, 0.6}).normal("base", {3, 3})
          .attr("kind", "householder")
          .at_kink("the diagonal -1 (PyTorch's start) sits on trunc's jump; the diagonal gets "
                   "gradient 0 on both sides")
          .note("PyTorch's trivialized start: diagonal -1, a base"));
}
