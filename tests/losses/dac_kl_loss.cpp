// Test cases for losses/distill/dac_kl_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dac_kl_loss) {
  add(Case("dac_kl_loss").normal("student", {3, 10}).distinct("teacher", {3, 10})
          .values("lower", {3, 1}, {0.0, 0.05, 0.15}).values("upper", {3, 1}, {0.8, 0.9, 0.7})
          .note("three rows with their own bounds"));
  add(Case("dac_kl_loss", "full").normal("student", {2, 6}).distinct("teacher", {2, 6})
          .values("lower", {2, 1}, {0.0, 0.0}).values("upper", {2, 1}, {1.5, 1.5})
          .note("bounds [0, 1.5): every token kept, the full KL"));
  add(Case("dac_kl_loss", "one_token").normal("student", {2, 5}).distinct("teacher", {2, 5})
          .values("lower", {2, 1}, {0.0, 0.0}).values("upper", {2, 1}, {1e-9, 1e-9})
          .note("only the teacher's top token kept: 0"));
}
