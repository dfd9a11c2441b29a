// Test cases for losses/ranking/hpm_relative_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(hpm_relative_loss) {
  add(Case("hpm_relative_loss").normal("input", {2, 5}).distinct("target", {2, 5})
          .note("[2,5] predictions, distinct target losses"));
  add(Case("hpm_relative_loss", "ties").normal("input", {2, 4})
          .values("target", {2, 4}, {0.5, 0.5, 0.2, 0.9, 0.1, 0.1, 0.1, 0.3})
          .note("tied targets leave the pair count"));
}
