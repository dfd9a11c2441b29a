// Test cases for losses/rl/kdrl_objective.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kdrl_objective) {
  add(Case("kdrl_objective").in("logp", {4, 5}, -3.0, -0.1).in("logp_old", {4, 5}, -3.0, -0.1)
          .in("logp_teacher", {4, 5}, -3.0, -0.1).values("rewards", {4}, {1.0, 0.0, 0.5, 1.0})
          .values("group", {4}, {0, 0, 1, 1}, lathe::DType::i64).attr("beta", 0.05)
          .note("two groups of two, k2, ratios inside and outside the clip range"));
  add(Case("kdrl_objective", "k3_mask").in("logp", {6, 3}, -2.0, -0.1)
          .in("logp_old", {6, 3}, -2.0, -0.1).in("logp_teacher", {6, 3}, -2.0, -0.1)
          .values("rewards", {6}, {0.2, 0.9, 0.4, 1.0, 1.0, 1.0})
          .values("group", {6}, {0, 0, 0, 2, 2, 2}, lathe::DType::i64).mask("mask", {6, 3})
          .attr("k", "k3").attr("beta", 0.1).attr("clip", 0.3)
          .note("k3 estimator, mask, a group of identical rewards (zero advantages)"));
}
