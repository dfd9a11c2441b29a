// Test cases for losses/classification/nll_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(nll_loss) {
  using lathe::DType;
  add(Case("nll_loss").normal("input", {5, 4}).index("target", {5}, 4)
          .note("log-probabilities [5,4], class indices"));
  add(Case("nll_loss", "weight_ignore").normal("input", {6, 5})
          .values("target", {6}, {0, -100, 3, 4, -100, 2}, DType::i64)
          .in("weight", {5}, 0.5, 2.0)
          .note("class weights and ignored rows: the weighted mean over kept rows"));
  add(Case("nll_loss", "ignore_3_sum").normal("input", {4, 3})
          .values("target", {4}, {2, 3, 0, 1}, DType::i64).attr("ignore_index", 3)
          .attr("reduction", "sum").note("ignore_index 3 (a value outside the classes), sum"));
  add(Case("nll_loss", "dense_none").normal("input", {2, 3, 2, 2}).index("target", {2, 2, 2}, 3)
          .in("weight", {3}, 0.5, 2.0).attr("reduction", "none")
          .note("N-d: input [2,3,2,2], target [2,2,2], weights, reduction none"));
  add(Case("nll_loss", "dense_mean").normal("input", {2, 4, 3})
          .values("target", {2, 3}, {1, -100, 3, 0, 2, -100}, DType::i64)
          .in("weight", {4}, 0.5, 2.0).note("N-d [2,4,3] with ignored positions and weights"));
  add(Case("nll_loss", "unbatched").normal("input", {4}).values("target", {}, {2}, DType::i64)
          .note("unbatched input [C], target []"));
}
