// Test cases for losses/distill/pkt_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pkt_loss) {
  add(Case("pkt_loss").normal("student", {4, 3}).normal("teacher", {4, 6}, 2.0)
          .note("eps 1e-7, B 4, D 3 vs 6"));
  add(Case("pkt_loss", "maps").normal("student", {3, 2, 2, 2}).normal("teacher", {3, 5})
          .note("[B, C, H, W] student flattened"));
}
