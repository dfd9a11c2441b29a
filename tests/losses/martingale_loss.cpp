// Test cases for losses/rl/martingale_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(martingale_loss) {
  add(Case("martingale_loss").normal("J", {3, 5}).normal("r", {3, 5}).normal("h_T", {3})
          .attr("dt", 0.1).note("3 trajectories of 5 steps, dt 0.1"));
  add(Case("martingale_loss", "k1").normal("J", {4, 1}).normal("r", {4, 1}).normal("h_T", {4})
          .attr("dt", 0.5).attr("reduction", "none").note("K = 1, per trajectory"));
  add(Case("martingale_loss", "fine").normal("J", {2, 8}).normal("r", {2, 8}).normal("h_T", {2})
          .attr("dt", 0.01).attr("reduction", "sum").note("small dt, reduction sum"));
}
