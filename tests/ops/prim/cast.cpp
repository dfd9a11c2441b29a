// Test cases for ops/prim/cast.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cast) {
  const char* fixed = "the fixture fixes the output dtype";
  add(Case("cast", "to_f64").in("x", {3, 4}).attr("dtype", "f64").no_oracle_f32(fixed)
          .note("f64 -> f64: a copy"));
  // multiples of 1/16: f32 holds them exactly, so the case tests the cast, not the rounding
  add(Case("cast", "to_f32")
          .values("x", {3, 4}, {0.5, -1.25, 2.0625, -0.1875, 1.0, 0.0, -2.5, 0.75, 1.5625, -0.0625,
                                3.125, -1.0})
          .attr("dtype", "f32")
          .no_gradcheck("f32 rounding swamps central differences; the oracle checks the gradient")
          .no_oracle_f32(fixed)
          .note("f64 -> f32 of f32-exact values; gradient flows back as f64"));
  add(Case("cast", "f32_rounding").normal("x", {3, 4}).attr("dtype", "f32")
          .no_gradcheck("f32 rounding swamps central differences; the oracle checks the gradient")
          .no_oracle_f32(fixed)
          .note("f64 -> f32 of arbitrary values: round to nearest even"));
  add(Case("cast", "to_i64").normal("x", {3, 4}, 3.0).attr("dtype", "i64")
          .no_gradcheck("integer output").no_oracle_f32(fixed)
          .note("f64 -> i64 truncates toward zero; no gradient"));
  add(Case("cast", "to_bool")
          .values("x", {3, 4}, {0.0, -0.0, 1.3, 0.0, -0.7, 0.4, 0.0, 1.9, -1.1, 0.0, 0.6, -1.6})
          .attr("dtype", "bool")
          .no_gradcheck("bool output")
          .no_oracle_f32(fixed)
          .note("f64 -> bool is x != 0 (zeros and -0.0 included); no gradient"));
}
