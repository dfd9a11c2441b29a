// Test cases for losses/classification/ensloss.cpp (conformance, oracle: its defined backward
// y g / B is compared with PyTorch's autograd of the same detached form).
#include "tests/support/cases.h"

LATHE_CASES(ensloss) {
  using lathe::DType;
  const char* why = "g is drawn and assigned through a sort of the margins: a defined backward";
  add(Case("ensloss").distinct("input", {8})
          .values("target", {8}, {1, 0, 1, 1, 0, 0, 1, 0}, DType::i64).normal("u", {8})
          .no_gradcheck(why).note("the catalog's example: eight scores, one draw u"));
  add(Case("ensloss", "large_margins").values("input", {4}, {3.0, -2.5, 0.4, 1.7})
          .values("target", {4}, {1, 0, 0, 1}, DType::i64).normal("u", {4})
          .no_gradcheck(why).note("margins > 1 divide their derivative by the margin"));
}
