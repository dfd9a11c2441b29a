// Test cases for ops/layer/s4_conv_kernel.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(s4_conv_kernel) {
  // S4D-Lin init: A_real -0.5 (log 0.5), A_imag pi n
  const double pi = 3.14159265358979323846, lh = -0.69314718055994531;
  add(Case("s4_conv_kernel").values("log_dt", {2}, {-3.0, -1.5})
          .values("log_a_real", {2, 3}, {lh, lh, lh, lh, lh, lh})
          .values("a_imag", {2, 3}, {0, pi, 2 * pi, 0, pi, 2 * pi}).normal("c", {2, 3, 2})
          .note("S4D-Lin init, H 2, N/2 3, L 16"));
  add(Case("s4_conv_kernel", "random").in("log_dt", {3}, -4.0, -1.0)
          .in("log_a_real", {3, 2}, -2.0, 1.0).in("a_imag", {3, 2}, -5.0, 5.0)
          .normal("c", {3, 2, 2}).attr("length", 8)
          .note("random A, dt in [e^-4, e^-1], L 8"));
  add(Case("s4_conv_kernel", "tiny_dt").values("log_dt", {1}, {-14.0})
          .values("log_a_real", {1, 2}, {lh, 0.0}).values("a_imag", {1, 2}, {0.0, pi})
          .normal("c", {1, 2, 2}).attr("length", 4)
          .note("dt 8e-7: exp(dt A) - 1 through expm1, no cancellation"));
  add(Case("s4_conv_kernel", "l1").in("log_dt", {2}, -3.0, -1.0)
          .in("log_a_real", {2, 2}, -1.0, 0.5).in("a_imag", {2, 2}, 0.0, 4.0)
          .normal("c", {2, 2, 2}).attr("length", 1).note("L = 1: K_0 = 2 Re sum C (e^{dtA}-1)/A"));
}
