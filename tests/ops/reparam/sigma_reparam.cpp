// Test cases for ops/reparam/sigma_reparam.cpp (conformance, oracle against the official
// SpectralNormedWeight rule; the power-iteration vectors are constants in the backward).
#include "tests/support/cases.h"

LATHE_CASES(sigma_reparam) {
  const char* why = "u and v are constants of the defined backward; finite differences would "
                    "move them (reparam_test.cpp checks with them frozen)";
  add(Case("sigma_reparam").normal("weight", {5, 4}).values("gamma", {}, {1.0})
          .normal("u", {4}).no_gradcheck(why)
          .note("training: one power iteration from a random u, u' returned"));
  add(Case("sigma_reparam", "eval").normal("weight", {3, 6}).values("gamma", {1}, {0.7})
          .normal("u", {6}).attr("training", false).no_gradcheck(why)
          .note("eval: u returned unchanged, sigma still uses the iterated u'"));
  add(Case("sigma_reparam", "conv").normal("weight", {4, 2, 2, 2}, 0.5)
          .values("gamma", {}, {2.5}).normal("u", {8}).no_gradcheck(why)
          .note("a conv kernel [4, 2, 2, 2] flattened to [4, 8]"));
}
