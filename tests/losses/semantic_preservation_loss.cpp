// Test cases for losses/generative/semantic_preservation_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(semantic_preservation_loss) {
  add(Case("semantic_preservation_loss").normal("input", {2, 8}).normal("target", {2, 8})
          .note("the catalog's example: two concepts, 8-d embeddings"));
  add(Case("semantic_preservation_loss", "sum").normal("input", {3, 2, 4})
          .normal("target", {3, 2, 4}).attr("reduction", "sum")
          .note("[3, 2] pairs of 4-d embeddings, reduction sum"));
  add(Case("semantic_preservation_loss", "identical_none")
          .values("input", {2, 3}, {0.5, -1.0, 2.0, 1.5, 0.25, -0.5})
          .values("target", {2, 3}, {0.5, -1.0, 2.0, 1.5, 0.25, -0.5})
          .attr("reduction", "none").note("identical embeddings: 0"));
  add(Case("semantic_preservation_loss", "zero_row")
          .values("input", {2, 3}, {0.0, 0.0, 0.0, 1.5, 0.25, -0.5})
          .normal("target", {2, 3})
          .at_kink("a zero embedding sits on the cosine's eps clamp (gradient x / eps there)")
          .note("a zero embedding: cos 0, loss 1"));
}
