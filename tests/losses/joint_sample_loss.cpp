// Test cases for losses/regression/joint_sample_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(joint_sample_loss) {
  add(Case("joint_sample_loss").normal("input", {3, 3, 3, 2}).normal("target", {3, 3, 2})
          .values("mask", {3, 3}, std::vector<double>(9, 1.0))
          .note("3 agents, 3 samples, 3 steps, full mask"));
  add(Case("joint_sample_loss", "marginal").normal("input", {3, 3, 3, 2})
          .normal("target", {3, 3, 2}).values("mask", {3, 3}, std::vector<double>(9, 1.0))
          .attr("joint", false).note("marginal: mean over agents of each agent's min"));
  add(Case("joint_sample_loss", "masked_s1").normal("input", {2, 1, 3, 2})
          .normal("target", {2, 3, 2}).values("mask", {2, 3}, {1, 1, 0, 0, 0, 0})
          .note("S = 1, a fully masked agent and a masked step"));
}
