// Test cases for losses/distill/binary_kl_norm_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(binary_kl_norm_loss) {
  add(Case("binary_kl_norm_loss").normal("student", {4, 5}, 2.0).normal("teacher", {4, 5}, 2.0)
          .note("DHKD defaults: T 2"));
  add(Case("binary_kl_norm_loss", "t1").normal("student", {3, 4}).normal("teacher", {3, 4})
          .attr("T", 1.0).note("T 1"));
  add(Case("binary_kl_norm_loss", "t8").normal("student", {2, 6}, 4.0)
          .normal("teacher", {2, 6}, 4.0).attr("T", 8.0).note("T 8"));
}
