// Test cases for ops/reparam/zero_mean_linear.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(zero_mean_linear) {
  add(Case("zero_mean_linear").normal("x", {3, 4}).normal("weight", {5, 4}).normal("bias", {5})
          .note("the catalog's example"));
  add(Case("zero_mean_linear", "no_bias").normal("x", {2, 3, 4}).normal("weight", {3, 4})
          .note("no bias, leading batch dims"));
  add(Case("zero_mean_linear", "out1").normal("x", {3, 2}).normal("weight", {1, 2})
          .normal("bias", {1}).note("out_features 1: W' = 0 and the output is 0"));
}
