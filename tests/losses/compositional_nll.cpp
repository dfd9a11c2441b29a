// Test cases for losses/generative/compositional_nll.cpp (conformance, oracle: the loss and the
// new state; its defined backward, u detached, is checked against PyTorch's autograd).
#include "tests/support/cases.h"

#include <limits>

LATHE_CASES(compositional_nll) {
  const char* why = "u is a stop-gradient of an input-dependent moving average: defined backward";
  const double inf = std::numeric_limits<double>::infinity();
  add(Case("compositional_nll").normal("e_data", {8}).normal("e_noise", {16})
          .in("log_q", {16}, -3.0, -1.0).values("log_u", {}, {-inf}).no_gradcheck(why)
          .note("the first call (log_u = -inf): u = g^, loss mean E + 1"));
  add(Case("compositional_nll", "running").normal("e_data", {6}).normal("e_noise", {10})
          .in("log_q", {10}, -3.0, -1.0).values("log_u", {1}, {0.3}).no_gradcheck(why)
          .note("a running estimate, beta 0.1"));
  add(Case("compositional_nll", "exact").normal("e_data", {4}).normal("e_noise", {8})
          .in("log_q", {8}, -2.0, 0.0).values("log_u", {}, {0.5}).attr("beta", 1.0)
          .no_gradcheck(why).note("beta 1: u = g^, the exact estimator"));
  add(Case("compositional_nll", "very_negative").values("e_data", {3}, {-800.0, -805.0, -790.0})
          .values("e_noise", {4}, {-800.0, -810.0, -795.0, -802.0})
          .values("log_q", {4}, {0, 0, 0, 0})
          .values("log_u", {}, {805.0}).attr("beta", 0.5).no_gradcheck(why)
          .note("energies near -800: exp(800) overflows outside log space"));
}
