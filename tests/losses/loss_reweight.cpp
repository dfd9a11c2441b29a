// Test cases for losses/robust/loss_reweight.cpp (conformance, oracle; its defined backward is
// checked against PyTorch's autograd of the same detached weights, not finite differences).
#include "tests/support/cases.h"

LATHE_CASES(loss_reweight) {
  const char* why = "detached weights: the defined backward is not the total derivative";
  add(Case("loss_reweight").distinct("losses", {8}).no_gradcheck(why)
          .note("linupper, delta 1, r 1"));
  add(Case("loss_reweight", "quadratic").distinct("losses", {8}).attr("strategy", "quadratic")
          .attr("r", 0.5).no_gradcheck(why).note("quadratic, r 0.5"));
  add(Case("loss_reweight", "extremes").distinct("losses", {6}).attr("strategy", "extremes")
          .attr("delta", 2.0).no_gradcheck(why).note("extremes, delta 2"));
  add(Case("loss_reweight", "equal").values("losses", {3}, {0.7, 0.7, 0.7}).no_gradcheck(why)
          .note("all losses equal: the clamped denominator, uniform weights"));
}
