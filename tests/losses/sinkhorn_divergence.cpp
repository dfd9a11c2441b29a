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
  // Fixed-eps mode: autograd through every sweep, so the gradient is the value's derivative.
  add(Case("sinkhorn_divergence", "iterated").in("x", {5, 2}, 0.0, 1.0)
          .in("y", {4, 2}, 0.3, 1.3).attr("blur", 0.3).attr("iterations", 12)
          .note("12 sweeps at eps 0.09, differentiated through (first and second order)"));
  add(Case("sinkhorn_divergence", "tolerance").normal("x", {6, 3}).normal("y", {5, 3}, 1.5)
          .attr("blur", 0.5).attr("iterations", 500).attr("tolerance", 1e-10)
          .no_gradcheck("the stopping rule may stop a perturbed input one sweep apart")
          .note("at most 500 sweeps at eps 0.25, stopping below 1e-10"));
  // Issue 19's stability check: eps = 1e-3 on [512, 512] costs (blur = sqrt(1e-3)), both
  // modes, gradchecked nowhere (512 points) and too large for a fixture (64 elements): here
  // conformance across backends; tests/losses/sinkhorn_test.cpp compares lathe's f64 with
  // numbers tools/oracle's float64 reference computed on deterministic points.
  const char* big = "[512, 2] inputs exceed the fixture limit: sinkhorn_test.cpp has the f64 "
                    "reference";
  const double blur = 0.031622776601683794;  // sqrt(1e-3)
  add(Case("sinkhorn_divergence", "eps1e-3_512_iterated").in("x", {512, 2}, 0.0, 1.0)
          .in("y", {512, 2}, 0.2, 1.2).attr("blur", blur).attr("iterations", 25)
          .no_gradcheck("512 points: too many for finite differences").no_oracle(big)
          .note("eps 1e-3 on [512, 512] costs, 25 sweeps differentiated through"));
  add(Case("sinkhorn_divergence", "eps1e-3_512_schedule").in("x", {512, 2}, 0.0, 1.0)
          .in("y", {512, 2}, 0.2, 1.2).attr("blur", blur).no_gradcheck(envelope).no_oracle(big)
          .note("eps 1e-3 on [512, 512] costs, the epsilon-scaling schedule"));
}
