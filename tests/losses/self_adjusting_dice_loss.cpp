// Test cases for losses/segmentation/self_adjusting_dice_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(self_adjusting_dice_loss) {
  add(Case("self_adjusting_dice_loss").normal("input", {8}).index("target", {8}, 2)
          .attr("alpha", 1.0).note("binary_set, alpha 1, gamma 1e-4"));
  add(Case("self_adjusting_dice_loss", "paper").normal("input", {2, 4}).index("target", {2, 4}, 2)
          .attr("alpha", 1.0).attr("smooth", 1.0).attr("variant", "paper")
          .note("the paper's per-example form, alpha 1, gamma 1"));
  add(Case("self_adjusting_dice_loss", "square").normal("input", {8}).index("target", {8}, 2)
          .attr("alpha", 0.01).attr("smooth", 1.0).attr("square_denominator", true)
          .note("the released scripts' setting: alpha 0.01, gamma 1, squared denominator"));
  add(Case("self_adjusting_dice_loss", "plain_negatives").normal("input", {6})
          .values("target", {6}, {0, 0, 0, 0, 0, 0}, DType::i64)
          .note("alpha 0 (plain Dice) with all-negative labels"));
  add(Case("self_adjusting_dice_loss", "multiclass").normal("input", {8, 3})
          .index("target", {8}, 3).attr("alpha", 1.0).attr("variant", "multiclass_code")
          .note("multiclass_code: per-token numerator over a global denominator"));
  add(Case("self_adjusting_dice_loss", "multiclass_square").normal("input", {8, 3})
          .index("target", {8}, 3).attr("alpha", 0.01).attr("smooth", 1.0)
          .attr("variant", "multiclass_code").attr("square_denominator", true)
          .note("multiclass_code with per-token squares in the denominator"));
  add(Case("self_adjusting_dice_loss", "binary_mask").normal("input", {2, 4})
          .index("target", {2, 4}, 2).values("mask", {2, 4}, {1, 1, 0, 1, 1, 0, 1, 1})
          .attr("alpha", 1.0).attr("smooth", 1.0).note("binary_set with a token mask"));
  add(Case("self_adjusting_dice_loss", "multiclass_mask_none").normal("input", {6, 3})
          .index("target", {6}, 3).values("mask", {6}, {1, 0, 1, 1, 1, 0}).attr("alpha", 0.5)
          .attr("variant", "multiclass_code").attr("reduction", "none")
          .note("multiclass_code, a mask per token, reduction none (per-token losses)"));
}
