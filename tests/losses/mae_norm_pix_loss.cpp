// Test cases for losses/regression/mae_norm_pix_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mae_norm_pix_loss) {
  using lathe::DType;
  add(Case("mae_norm_pix_loss").normal("input", {2, 5, 6}).normal("target", {2, 5, 6})
          .values("mask", {2, 5}, {1, 0, 1, 1, 0, 1, 0, 0, 1, 0}, DType::boolean)
          .note("[2,5,6], bool mask, rows with 3 and 2 masked patches, norm_pix"));
  add(Case("mae_norm_pix_loss", "float_mask_raw").normal("input", {2, 4, 3})
          .normal("target", {2, 4, 3}).values("mask", {2, 4}, {1, 1, 0, 0, 0, 1, 1, 0})
          .attr("norm_pix", false).note("0/1 float mask, norm_pix false"));
  add(Case("mae_norm_pix_loss", "constant_patch").normal("input", {1, 3, 4})
          .values("target", {1, 3, 4}, {0.7, 0.7, 0.7, 0.7, 1, 2, 3, 4, -1, 0.5, 2, 0})
          .values("mask", {1, 3}, {1, 1, 0}, DType::boolean)
          .note("a constant target patch (variance 0, the 1e-6 keeps it finite)"));
}
