// Test cases for ops/prim/compare.cpp: eq ne lt le gt ge (conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(compare) {
  add(Case("eq").small_ints("a", {3, 4}).small_ints("b", {3, 4}).no_gradcheck("bool output")
          .note("small integers, so equal elements occur"));
  add(Case("eq", "broadcast").small_ints("a", {3, 1, 4}).small_ints("b", {2, 4})
          .no_gradcheck("bool output").note("a [3,1,4] with b [2,4]"));
  add(Case("eq", "scalar").small_ints("a", {2, 3}).values("b", {}, {0.0})
          .no_gradcheck("bool output").note("b = 0.0 of shape []"));
  add(Case("ne").small_ints("a", {3, 4}).small_ints("b", {3, 4}).no_gradcheck("bool output")
          .note("small integers, so equal elements occur"));
  add(Case("ne", "broadcast").small_ints("a", {3, 1, 4}).small_ints("b", {2, 4})
          .no_gradcheck("bool output").note("a [3,1,4] with b [2,4]"));
  add(Case("ne", "scalar").small_ints("a", {2, 3}).values("b", {}, {0.0})
          .no_gradcheck("bool output").note("b = 0.0 of shape []"));
  add(Case("lt").small_ints("a", {3, 4}).small_ints("b", {3, 4}).no_gradcheck("bool output")
          .note("small integers, so equal elements occur"));
  add(Case("lt", "broadcast").small_ints("a", {3, 1, 4}).small_ints("b", {2, 4})
          .no_gradcheck("bool output").note("a [3,1,4] with b [2,4]"));
  add(Case("lt", "scalar").small_ints("a", {2, 3}).values("b", {}, {0.0})
          .no_gradcheck("bool output").note("b = 0.0 of shape []"));
  add(Case("le").small_ints("a", {3, 4}).small_ints("b", {3, 4}).no_gradcheck("bool output")
          .note("small integers, so equal elements occur"));
  add(Case("le", "broadcast").small_ints("a", {3, 1, 4}).small_ints("b", {2, 4})
          .no_gradcheck("bool output").note("a [3,1,4] with b [2,4]"));
  add(Case("le", "scalar").small_ints("a", {2, 3}).values("b", {}, {0.0})
          .no_gradcheck("bool output").note("b = 0.0 of shape []"));
  add(Case("gt").small_ints("a", {3, 4}).small_ints("b", {3, 4}).no_gradcheck("bool output")
          .note("small integers, so equal elements occur"));
  add(Case("gt", "broadcast").small_ints("a", {3, 1, 4}).small_ints("b", {2, 4})
          .no_gradcheck("bool output").note("a [3,1,4] with b [2,4]"));
  add(Case("gt", "scalar").small_ints("a", {2, 3}).values("b", {}, {0.0})
          .no_gradcheck("bool output").note("b = 0.0 of shape []"));
  add(Case("ge").small_ints("a", {3, 4}).small_ints("b", {3, 4}).no_gradcheck("bool output")
          .note("small integers, so equal elements occur"));
  add(Case("ge", "broadcast").small_ints("a", {3, 1, 4}).small_ints("b", {2, 4})
          .no_gradcheck("bool output").note("a [3,1,4] with b [2,4]"));
  add(Case("ge", "scalar").small_ints("a", {2, 3}).values("b", {}, {0.0})
          .no_gradcheck("bool output").note("b = 0.0 of shape []"));
}
