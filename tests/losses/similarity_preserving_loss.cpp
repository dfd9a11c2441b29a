// Test cases for losses/distill/similarity_preserving_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(similarity_preserving_loss) {
  add(Case("similarity_preserving_loss").normal("student", {4, 3, 2})
          .normal("teacher", {4, 5}, 2.0).note("B 4, [4, 3, 2] vs [4, 5] flattened"));
  add(Case("similarity_preserving_loss", "maps").normal("student", {3, 2, 2, 2})
          .normal("teacher", {3, 4, 2, 2}).note("[B, C, H, W] maps"));
}
