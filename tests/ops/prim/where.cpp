// Test cases for ops/prim/where.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(where) {
  add(Case("where").mask("cond", {3, 4}).normal("a", {3, 4}).normal("b", {3, 4})
          .note("same shapes [3,4]"));
  add(Case("where", "broadcast")
          .values("cond", {2, 1}, {1, 0}, lathe::DType::boolean)
          .normal("a", {3, 1, 4})
          .normal("b", {2, 4})
          .note("cond [2,1], a [3,1,4], b [2,4] -> [3,2,4]"));
  add(Case("where", "row_cond").mask("cond", {3, 1}).in("a", {3, 4}).in("b", {4})
          .note("cond [3,1], a [3,4], b [4]"));
  add(Case("where", "scalar").mask("cond", {2, 3}).normal("a", {2, 3}).values("b", {}, {0.75})
          .note("b of shape [] fills where cond is false"));
}
