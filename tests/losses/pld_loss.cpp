// Test cases for losses/distill/pld_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pld_loss) {
  add(Case("pld_loss").normal("student", {4, 6}).distinct("teacher", {4, 6})
          .index("target", {4}, 6).note("tau_t 1, teacher without ties"));
  add(Case("pld_loss", "tau4").normal("student", {3, 5}, 2.0).distinct("teacher", {3, 5})
          .index("target", {3}, 5).attr("tau_t", 4.0).note("tau_t 4 (CIFAR-100)"));
  add(Case("pld_loss", "two_classes").normal("student", {3, 2}).distinct("teacher", {3, 2})
          .values("target", {3}, {0, 1, 1}, DType::i64).note("C 2"));
}
