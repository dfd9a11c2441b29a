// Test cases for losses/distill/attention_transfer_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(attention_transfer_loss) {
  add(Case("attention_transfer_loss").normal("student", {2, 2, 3, 3})
          .normal("teacher", {2, 3, 3, 3}).note("p 2, channels 2 vs 3, 3x3 maps"));
  add(Case("attention_transfer_loss", "p4").away("student", {2, 2, 2, 3}, 0.2)
          .away("teacher", {2, 4, 2, 3}, 0.2).attr("p", 4.0)
          .note("p 4 (|f|^4), values away from 0"));
  add(Case("attention_transfer_loss", "sequence").normal("student", {3, 2, 4})
          .normal("teacher", {3, 3, 4}).note("[B, C, L] feature maps"));
}
