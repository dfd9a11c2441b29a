// Test cases for losses/regularizer/switch_load_balance_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(switch_load_balance_loss) {
  add(Case("switch_load_balance_loss").distinct("router_logits", {10, 4})
          .note("router logits [10 tokens, 4 experts], top-2, coef 0.001"));
  add(Case("switch_load_balance_loss", "mask").distinct("router_logits", {12, 5})
          .mask("mask", {12}).attr("k", 1).attr("coef", 0.01)
          .note("token mask [12], top-1, coef 0.01"));
  add(Case("switch_load_balance_loss", "k_all").distinct("router_logits", {6, 3})
          .attr("k", 3).attr("coef", 1.0)
          .note("k = E: every expert counted once per token, L = coef E"));
}
