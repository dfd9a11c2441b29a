// Test cases for losses/calibration/temperature_scaling.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(temperature_scaling) {
  add(Case("temperature_scaling").normal("logits", {4, 3}, 3.0)
          .values("temperature", {1}, {1.5}).note("logits [4,3], T [1] = 1.5 (the init)"));
  add(Case("temperature_scaling", "scalar_t").normal("logits", {5, 2})
          .values("temperature", {}, {0.4}).note("0-d temperature 0.4, C = 2"));
  add(Case("temperature_scaling", "c1_batch_dims").normal("logits", {2, 3, 1})
          .in("temperature", {1}, 0.5, 3.0).note("[2,3,1]: extra batch dims, C = 1"));
}
