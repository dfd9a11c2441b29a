// Test cases for losses/ranking/soft_topk_loss.cpp (gradcheck with n_iter 64, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(soft_topk_loss) {
  using lathe::DType;
  const char* why = "the implicit gradient holds v constant: its derivative is not second order";
  add(Case("soft_topk_loss").normal("input", {3, 10}, 5.0)
          .values("pos_mask", {3, 10}, {1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 1, 1, 0, 0, 0, 1, 0, 0, 0}, DType::boolean)
          .attr("k", 3.0).attr("n_iter", 64).first_order_only(why)
          .note("the catalog's example: k 3, a row without positives (0)"));
  add(Case("soft_topk_loss", "sum").normal("input", {2, 6}, 2.0)
          .values("pos_mask", {2, 6}, {1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1}, DType::boolean)
          .attr("k", 2.0).attr("alpha", 1.0).attr("n_iter", 64).attr("reduction", "sum")
          .first_order_only(why).note("alpha 1, k 2, reduction sum"));
}
