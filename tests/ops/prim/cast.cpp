// Test cases for ops/prim/cast.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(cast) {
  add(Case("cast", "to_f64").in("x", {3, 4}).attr("dtype", std::string("f64")));
  add(Case("cast", "to_f32").in("x", {3, 4}).attr("dtype", std::string("f32"))
          .no_gradcheck("f32 rounding swamps central differences; the oracle checks the gradient"));
  add(Case("cast", "to_i64").in("x", {3, 4}, -5.0, 5.0).attr("dtype", std::string("i64"))
          .no_gradcheck("integer output"));
}
