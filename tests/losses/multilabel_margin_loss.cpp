// Test cases for losses/classification/multilabel_margin_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(multilabel_margin_loss) {
  using lathe::DType;
  add(Case("multilabel_margin_loss")
          .values("input", {3, 4}, {0.4, -1.31, -1.3, -0.87, 1.12, 0.34, -1.05, -0.74, -0.46,
                                    -0.41, -1.13, 1.05})
          .values("target", {3, 4}, {3, 0, -1, 1, 1, -1, 0, 0, 0, 1, 2, 3}, DType::i64)
          .note("targets before the first -1 (the rest ignored), a row of every class; scores "
                "picked >= 0.08 away from every kink"));
  add(Case("multilabel_margin_loss", "repeat_none")
          .values("input", {2, 5}, {1.48, -0.1, -0.05, -1.24, -1.19, 1.35, 0.08, -1.06, 0.13,
                                    -1.42})
          .values("target", {2, 5}, {2, 2, 4, -1, 0, -1, 3, 3, 3, 3}, DType::i64)
          .attr("reduction", "none")
          .note("a repeated target counts twice, a row starting with -1 gives 0, none"));
  add(Case("multilabel_margin_loss", "unbatched")
          .values("input", {5}, {-0.4, -1.0, 0.82, 0.1, 0.84})
          .values("target", {5}, {1, 3, -1, 0, 0}, DType::i64).attr("reduction", "sum")
          .note("unbatched [C], reduction sum"));
}
