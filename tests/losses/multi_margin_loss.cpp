// Test cases for losses/classification/multi_margin_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(multi_margin_loss) {
  using lathe::DType;
  add(Case("multi_margin_loss")
          .values("input", {4, 5}, {1.43, -1.36, 1.08, -0.63, -1.07, -1.15, -0.57, 0.95, -0.96,
                                    0.24, -0.88, 0.54, -0.22, -0.56, 0.26, -0.03, -1.38, 0.5,
                                    0.79, 0.22})
          .index("target", {4}, 5)
          .note("scores picked so that every hinge is >= 0.08 away from its kink"));
  add(Case("multi_margin_loss", "p2_weight")
          .values("input", {4, 5}, {-1.0, -1.15, -1.32, 0.8, -1.11, 0.15, 1.15, 0.96, 1.09,
                                    -0.66, -0.25, -0.42, 1.15, 1.37, -1.05, -0.97, -0.8, -0.8,
                                    -0.05, 0.27})
          .index("target", {4}, 5).attr("p", 2).attr("margin", 0.5).in("weight", {5}, 0.5, 2.0)
          .note("squared hinge, margin 0.5, class weights"));
  add(Case("multi_margin_loss", "none")
          .values("input", {3, 4}, {-0.71, -1.49, -0.24, -0.39, 0.2, 1.36, 0.57, 0.05, 0.35,
                                    0.53, -1.34, 1.2})
          .values("target", {3}, {3, 0, 0}, DType::i64).attr("reduction", "none")
          .note("reduction none ([N])"));
  add(Case("multi_margin_loss", "unbatched")
          .values("input", {6}, {0.84, 1.12, 0.89, -0.32, -0.3, -1.19})
          .values("target", {}, {4}, DType::i64).attr("reduction", "sum")
          .note("unbatched [C] with a target []"));
  add(Case("multi_margin_loss", "at_kink").values("input", {1, 3}, {1.0, 0.0, -1.0})
          .values("target", {1}, {0}, DType::i64).at_kink("margin - x_y + x_i = 0")
          .note("a hinge exactly at its kink"));
}
