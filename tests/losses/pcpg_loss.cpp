// Test cases for losses/rl/pcpg_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pcpg_loss) {
  add(Case("pcpg_loss").in("logp", {3, 6}, -3.0, -0.1).normal("rewards", {3, 6})
          .values("kernel", {3}, {0.25, 0.5, 0.25}).note("3-tap kernel, T 6, mean over 3"));
  add(Case("pcpg_loss", "gaussian5").in("logp", {2, 7}, -3.0, -0.1).normal("rewards", {2, 7})
          .values("kernel", {5}, {0.054, 0.242, 0.399, 0.242, 0.054}).attr("reduction", "none")
          .note("5-tap Gaussian kernel, per sample"));
  add(Case("pcpg_loss", "wide").in("logp", {2, 3}, -3.0, -0.1).normal("rewards", {2, 3})
          .values("kernel", {7}, {0.1, 0.2, 0.3, 0.4, 0.3, 0.2, 0.1}).attr("reduction", "sum")
          .note("kernel wider than the sequence, reduction sum"));
  add(Case("pcpg_loss", "t1").in("logp", {4, 1}, -3.0, -0.1).normal("rewards", {4, 1})
          .values("kernel", {3}, {0.2, 0.6, 0.2}).note("T = 1: only the centre tap"));
}
