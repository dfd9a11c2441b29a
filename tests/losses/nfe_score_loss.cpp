// Test cases for losses/other/nfe_score_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(nfe_score_loss) {
  add(Case("nfe_score_loss").away("head", {3, 6}, 0.2, 1.0).away("relation", {3, 6}, 0.2, 1.0)
          .away("entities", {5, 6}, 0.2, 1.0).index("tail", {3}, 5)
          .note("nfe1, d 3, 5 entities; scales away from the |.| kink at 0"));
  add(Case("nfe_score_loss", "nfe3").normal("head", {3, 6}).normal("relation", {3, 6})
          .normal("entities", {5, 6}).index("tail", {3}, 5).attr("variant", "nfe3")
          .attr("gamma", 2.0).note("nfe3 (KL with softplus scales), gamma 2"));
  add(Case("nfe_score_loss", "none").away("head", {4, 4}, 0.2, 1.0)
          .away("relation", {4, 4}, 0.2, 1.0).away("entities", {6, 4}, 0.2, 1.0)
          .values("tail", {4}, {0, 5, 5, 2}, DType::i64).attr("reduction", "none")
          .attr("gamma", 0.5)
          .note("reduction none: one sum over entities per triple; a repeated tail"));
  add(Case("nfe_score_loss", "nfe3_sum").normal("head", {2, 4}).normal("relation", {2, 4})
          .normal("entities", {4, 4}).values("tail", {2}, {3, 0}, DType::i64)
          .attr("variant", "nfe3").attr("reduction", "sum").note("nfe3, reduction sum"));
  add(Case("nfe_score_loss", "nfe2").away("head", {3, 6}, 0.2, 1.0)
          .away("relation", {3, 4}, 0.2, 1.0).away("entities", {4, 6}, 0.2, 1.0)
          .index("tail", {3}, 4).attr("variant", "nfe2")
          .note("nfe2 (mixture): head and entities rows of 3d = 6, relation 2d = 4"));
}
