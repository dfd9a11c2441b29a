// Test cases for losses/distill/dual_head_kd.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(dual_head_kd) {
  add(Case("dual_head_kd").normal("main", {4, 5}).normal("aux", {4, 5}, 2.0)
          .normal("teacher", {4, 5}, 2.0).index("target", {4}, 5)
          .note("defaults: gamma 1, alpha 1, T 2"));
  add(Case("dual_head_kd", "imagenet").normal("main", {3, 4}).normal("aux", {3, 4})
          .normal("teacher", {3, 4}).index("target", {3}, 4).attr("alpha", 0.1)
          .attr("T", 8.0).note("alpha 0.1 (ImageNet), T 8"));
}
