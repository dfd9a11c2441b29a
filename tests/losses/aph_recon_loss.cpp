// Test cases for losses/distill/aph_recon_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(aph_recon_loss) {
  add(Case("aph_recon_loss").normal("pred", {2, 5, 4}).normal("teacher", {2, 5, 4})
          .normal("hessian", {2, 5, 4}).note("H of both signs (|H| is used)"));
  add(Case("aph_recon_loss", "zero_hessian").normal("pred", {3, 4}).normal("teacher", {3, 4})
          .values("hessian", {3, 4}, {0, 0, 0, 0, 1, 2, 0, 0, 0, 0, -3, 0})
          .note("mostly H = 0: no signal there"));
}
