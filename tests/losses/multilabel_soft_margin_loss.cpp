// Test cases for losses/classification/multilabel_soft_margin_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(multilabel_soft_margin_loss) {
  add(Case("multilabel_soft_margin_loss").normal("input", {4, 3})
          .values("target", {4, 3}, {1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0})
          .note("scores [4,3] against 0/1 labels"));
  add(Case("multilabel_soft_margin_loss", "weight_none").normal("input", {3, 4})
          .values("target", {3, 4}, {1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1})
          .in("weight", {4}, 0.5, 2.0).attr("reduction", "none")
          .note("class weights [4], reduction none ([N])"));
  add(Case("multilabel_soft_margin_loss", "unbatched_sum").normal("input", {5})
          .values("target", {5}, {0, 1, 1, 0, 1}).attr("reduction", "sum")
          .note("unbatched [C], reduction sum"));
}
