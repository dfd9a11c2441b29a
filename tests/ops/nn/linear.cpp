// Test cases for ops/nn/linear.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(linear) {
  add(Case("linear").in("x", {2, 3, 4}).in("weight", {5, 4}).in("bias", {5})
          .note("x [2,3,4], weight [5,4], bias [5]"));
  add(Case("linear", "no_bias").in("x", {3, 4}).in("weight", {2, 4})
          .note("x [3,4], weight [2,4], no bias"));
  add(Case("linear", "bias").normal("x", {3, 4}).normal("weight", {5, 4}).normal("bias", {5})
          .oracle_only("basic gradchecks the same path").note("x [3,4], weight [5,4], bias [5]"));
  add(Case("linear", "no_bias_3d").normal("x", {2, 3, 4}).normal("weight", {5, 4})
          .oracle_only("no_bias gradchecks the same path")
          .note("x [2,3,4], weight [5,4], no bias"));
  add(Case("linear", "bias_3d").normal("x", {2, 3, 4}).normal("weight", {2, 4})
          .normal("bias", {2})
          .oracle_only("basic gradchecks the same path")
          .note("x [2,3,4], weight [2,4], bias [2]"));
}
