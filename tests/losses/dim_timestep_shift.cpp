// Test cases for losses/generative/dim_timestep_shift.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dim_timestep_shift) {
  add(Case("dim_timestep_shift").in("t", {5}, 0.05, 0.95)
          .note("RAE DINOv2-B defaults: m 196608, n_base 4096 (a = sqrt(48))"));
  add(Case("dim_timestep_shift", "a2").in("t", {2, 3}, 0.05, 0.95).attr("m", 1024.0)
          .attr("n_base", 256.0).note("a = 2 on [2, 3] times"));
  add(Case("dim_timestep_shift", "identity").in("t", {4}, 0.05, 0.95).attr("m", 4096.0)
          .note("m = n_base: the identity"));
  add(Case("dim_timestep_shift", "ends").values("t", {3}, {0.0, 1.0, 0.5})
          .oracle_only("t = 0 and 1 are fixed points at the ends of [0, 1]: central "
                       "differences would leave the domain")
          .note("the fixed points 0 and 1"));
}
