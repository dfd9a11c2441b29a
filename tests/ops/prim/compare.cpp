// Test cases for ops/prim/compare.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(compare) {
  add(Case("eq").values("a", {5}, {1, 2, 3, 4, 5}).values("b", {5}, {5, 2, 1, 4, 0})
          .no_gradcheck("bool output"));
  add(Case("eq", "broadcast").in("a", {3, 1}).in("b", {4}).no_gradcheck("bool output"));
  add(Case("ne").values("a", {5}, {1, 2, 3, 4, 5}).values("b", {5}, {5, 2, 1, 4, 0})
          .no_gradcheck("bool output"));
  add(Case("ne", "broadcast").in("a", {3, 1}).in("b", {4}).no_gradcheck("bool output"));
  add(Case("lt").values("a", {5}, {1, 2, 3, 4, 5}).values("b", {5}, {5, 2, 1, 4, 0})
          .no_gradcheck("bool output"));
  add(Case("lt", "broadcast").in("a", {3, 1}).in("b", {4}).no_gradcheck("bool output"));
  add(Case("le").values("a", {5}, {1, 2, 3, 4, 5}).values("b", {5}, {5, 2, 1, 4, 0})
          .no_gradcheck("bool output"));
  add(Case("le", "broadcast").in("a", {3, 1}).in("b", {4}).no_gradcheck("bool output"));
  add(Case("gt").values("a", {5}, {1, 2, 3, 4, 5}).values("b", {5}, {5, 2, 1, 4, 0})
          .no_gradcheck("bool output"));
  add(Case("gt", "broadcast").in("a", {3, 1}).in("b", {4}).no_gradcheck("bool output"));
  add(Case("ge").values("a", {5}, {1, 2, 3, 4, 5}).values("b", {5}, {5, 2, 1, 4, 0})
          .no_gradcheck("bool output"));
  add(Case("ge", "broadcast").in("a", {3, 1}).in("b", {4}).no_gradcheck("bool output"));
}
