// Test cases for losses/divergence/sinkhorn_divergence.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sinkhorn_divergence) {
  // The gradient is GeomLoss's envelope gradient (the potentials detached, the schedule not
  // run to a fixed point), not the derivative of the value: the cases are compared with
  // PyTorch's autograd of the same construction, not with finite differences.
  const char* envelope = "GeomLoss's envelope gradient is not the derivative of the value";
  const char* detached = "the costs detach the other cloud: exact gradient, not its derivative";
  // one point per cloud: the potentials are exact, S = |x - y|^2 / 2 and the envelope gradient
  // is the derivative (first and second order)
  add(Case("sinkhorn_divergence", "one_point").normal("x", {1, 3}).normal("y", {1, 3})
          .first_order_only(detached).note("single points: S = |x - y|^2 / 2, gradchecked"));
  add(Case("sinkhorn_divergence").in("x", {5, 2}, 0.0, 1.0).in("y", {4, 2}, 0.3, 1.3)
          .attr("blur", 0.3).no_gradcheck(envelope).note("5 and 4 points in 2-D, blur 0.3"));
  add(Case("sinkhorn_divergence", "default_blur").in("x", {6, 3}, 0.0, 1.0)
          .in("y", {6, 3}, 0.0, 1.0).no_gradcheck(envelope)
          .note("6 against 6 points in 3-D, GeomLoss defaults"));
  add(Case("sinkhorn_divergence", "long_schedule").normal("x", {4, 2}).normal("y", {3, 2}, 2.0)
          .attr("blur", 0.2).attr("scaling", 0.8).no_gradcheck(envelope)
          .note("scaling 0.8: a longer schedule"));
}
