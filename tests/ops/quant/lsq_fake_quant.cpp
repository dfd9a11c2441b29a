// Test cases for ops/quant/lsq_fake_quant.cpp (conformance, oracle against a PyTorch reference
// written from EQ-Net's base_lsq.py; the STE is not the forward's derivative).
#include "tests/support/cases.h"

LATHE_CASES(lsq_fake_quant) {
  const char* why = "custom backward (LSQ's straight-through estimator): checked against the "
                    "reference rule instead";
  add(Case("lsq_fake_quant").normal("x", {10}).values("s", {}, {0.2}).no_gradcheck(why)
          .note("4 bits symmetric, per-tensor s 0.2, g 1/sqrt(7 * 10); some values clamped"));
  add(Case("lsq_fake_quant", "per_channel").normal("x", {4, 3}).in("s", {4, 1}, 0.2, 0.4)
          .attr("bits", 3).attr("g", 0.6546536707079771).no_gradcheck(why)
          .note("3-bit per-channel weights, g = 2/sqrt(3 * 12 / 3) given by the caller"));
  add(Case("lsq_fake_quant", "asymmetric").in("x", {2, 5}, 0.0, 3.0).values("s", {}, {0.2})
          .values("beta", {}, {-0.01}).attr("all_positive", true).no_gradcheck(why)
          .note("all_positive [0, 15], a negative beta used as |beta|"));
  add(Case("lsq_fake_quant", "negative_s").normal("x", {2, 3}, 0.5).values("s", {}, {-0.15})
          .attr("bits", 2).no_gradcheck(why)
          .note("2 bits, a negative learned s (used as |s|, gradient g sign(s))"));
}
