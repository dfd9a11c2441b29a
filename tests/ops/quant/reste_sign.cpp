// Test cases for ops/quant/reste_sign.cpp (conformance, oracle against a PyTorch
// autograd.Function with the official ReSTE rule; sign's own derivative is 0).
#include "tests/support/cases.h"

LATHE_CASES(reste_sign) {
  const char* why = "custom backward (ReSTE's estimator): checked against the reference rule";
  add(Case("reste_sign").values("x", {11}, {0, 0.05, -0.05, 0.1, -0.1, 0.5, -0.5, 1.5, -1.5,
                                            2.0, -2.0})
          .no_gradcheck(why).note("the catalog's points: 0, +-delta/2, +-delta, +-0.5, +-t, +-2"));
  add(Case("reste_sign", "o1").normal("x", {3, 4}).attr("o", 1.0).no_gradcheck(why)
          .note("o 1: slope 1 inside [-t, t] (the plain STE with threshold t)"));
  add(Case("reste_sign", "o2").normal("x", {2, 5}, 1.5).attr("o", 2.0).attr("t", 1.0)
          .attr("delta", 0.2).no_gradcheck(why).note("o 2, t 1, delta 0.2"));
}
