// Test cases for losses/entropy/attention_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(attention_entropy) {
  add(Case("attention_entropy").probs("attn", {2, 2, 3, 4})
          .note("attention [B,h,Lq,Lk] = [2,2,3,4], rows sum to 1, reduction none"));
  add(Case("attention_entropy", "mean").probs("attn", {3, 6}).attr("reduction", "mean")
          .note("[3,6] rows, reduction mean (the per-head diagnostic)"));
  add(Case("attention_entropy", "masked")
          .values("attn", {2, 3}, {0.0, 0.4, 0.6, 0.0, 0.0, 1.0}).attr("reduction", "sum")
          .at_kink("A = 0 is the edge of the domain: central differences step below it")
          .note("rows with exact zeros (causal mask) and a one-hot row"));
  add(Case("attention_entropy", "delta").probs("attn", {4, 3}).attr("delta", 0.01)
          .note("a larger delta 0.01"));
}
