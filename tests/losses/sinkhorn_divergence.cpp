// Test cases for losses/divergence/sinkhorn_divergence.cpp (conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sinkhorn_divergence) {
  // The gradient is GeomLoss's envelope gradient (the potentials detached, the schedule not
  // run to a fixed point), not the derivative of the value: the cases are compared with
  // PyTorch's autograd of the same construction, not with finite differences.
  const char* envelope = "GeomLoss's envelope gradient is not the derivative of the value";
  add(Case("sinkhorn_divergence").in("x", {5, 2}, 0.0, 1.0).in("y", {4, 2}, 0.3, 1.3)
          .attr("blur", 0.3).at_kink(envelope).note("5 and 4 points in 2-D, blur 0.3"));
  add(Case("sinkhorn_divergence", "default_blur").in("x", {6, 3}, 0.0, 1.0)
          .in("y", {6, 3}, 0.0, 1.0).at_kink(envelope)
          .note("6 against 6 points in 3-D, GeomLoss defaults"));
  add(Case("sinkhorn_divergence", "long_schedule").normal("x", {4, 2}).normal("y", {3, 2}, 2.0)
          .attr("blur", 0.2).attr("scaling", 0.8).at_kink(envelope)
          .note("scaling 0.8: a longer schedule"));
}
