// Test cases for ops/activation/statistical_topk.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(statistical_topk) {
  const char* frozen = "detach_threshold: theta is frozen in backward, which differences of the "
                       "forward do not see (checked against the reference's detach instead)";
  add(Case("statistical_topk").normal("x", {3, 16}).attr("k", 4)
          .note("soft, theta not detached: gradients through mean and std"));
  add(Case("statistical_topk", "hard_detached").normal("x", {3, 16}).attr("k", 2)
          .attr("soft", false).attr("detach_threshold", true)
          .note("hard mask x 1[x > theta], theta a constant (no gradient through a mask)"));
  add(Case("statistical_topk", "hard").normal("x", {2, 12}).attr("k", 3).attr("soft", false)
          .note("hard, theta not detached: the mask is constant, theta gets no gradient"));
  add(Case("statistical_topk", "soft_detached").normal("x", {2, 2, 8}, 2.0).attr("k", 2)
          .attr("detach_threshold", true).no_gradcheck(frozen)
          .note("soft with theta frozen, leading dims [2,2]"));
  add(Case("statistical_topk", "half").normal("x", {4, 8}).attr("k", 4)
          .note("k/d = 0.5: theta = mean"));
}
