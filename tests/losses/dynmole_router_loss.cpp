// Test cases for losses/regularizer/dynmole_router_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dynmole_router_loss) {
  add(Case("dynmole_router_loss").distinct("router_logits", {12, 5})
          .note("router logits [12 tokens, 5 experts], DynMoLE defaults"));
  add(Case("dynmole_router_loss", "threshold").normal("router_logits", {8, 4}, 3.0)
          .attr("entropy_threshold", 0.5).attr("top_p", 0.5).attr("keep_top_k", 1)
          .attr("lam_lb", 0.1).note("threshold 0.5, top_p 0.5, keep 1, lam_lb 0.1"));
}
