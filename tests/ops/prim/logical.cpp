// Test cases for ops/prim/logical.cpp: logical_and, logical_or, logical_not (conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(logical) {
  using lathe::DType;
  for (const char* op : {"logical_and", "logical_or"}) {
    add(Case(op)
            .values("a", {2, 4}, {0, 0, 1, 1, 0, 0, 1, 1}, DType::boolean)
            .values("b", {2, 4}, {0, 1, 0, 1, 0, 1, 0, 1}, DType::boolean)
            .no_gradcheck("bool output")
            .note("all four combinations"));
    add(Case(op, "broadcast").mask("a", {3, 1, 4}).mask("b", {2, 4}).no_gradcheck("bool output")
            .note("a [3,1,4] with b [2,4]"));
  }
  add(Case("logical_and", "row").mask("a", {3, 4}).mask("b", {4}).no_gradcheck("bool output"));
  add(Case("logical_or", "column").mask("a", {3, 4}).mask("b", {3, 1})
          .no_gradcheck("bool output"));
  add(Case("logical_not").mask("x", {3, 4}).no_gradcheck("bool output").note("[3,4] bools"));
}
