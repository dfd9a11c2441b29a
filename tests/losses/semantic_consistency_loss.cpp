// Test cases for losses/generative/semantic_consistency_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(semantic_consistency_loss) {
  add(Case("semantic_consistency_loss").normal("input", {8}).normal("target", {8})
          .note("the catalog's example: one pair of 8-d embeddings, form code, lam 0.2"));
  add(Case("semantic_consistency_loss", "paper_sum").normal("input", {3, 5})
          .normal("target", {3, 5}).attr("form", "paper").attr("reduction", "sum")
          .note("form paper lam (1 - cos), three pairs, reduction sum"));
  add(Case("semantic_consistency_loss", "identical")
          .values("input", {4}, {0.5, -1.0, 2.0, 1.5}).values("target", {4}, {0.5, -1.0, 2.0, 1.5})
          .attr("lam", 0.3).note("identical embeddings: -lam"));
  add(Case("semantic_consistency_loss", "lam0_none").normal("input", {2, 4})
          .normal("target", {2, 4}).attr("lam", 0.0).attr("reduction", "none")
          .note("lam 0: zero loss and gradient"));
}
