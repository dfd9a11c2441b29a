// Test cases for ops/nn/index_select.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(index_select) {
  using lathe::DType;
  add(Case("index_select").in("x", {4, 3}).index("index", {5}, 4).note("5 random rows of 4"));
  add(Case("index_select", "axis0").normal("x", {3, 4}).values("index", {3}, {2, 0, 2}, DType::i64)
          .note("rows [2, 0, 2]"));
  add(Case("index_select", "axis1")
          .normal("x", {3, 4})
          .values("index", {5}, {3, 1, 1, 0, 2}, DType::i64)
          .attr("axis", 1)
          .note("columns [3, 1, 1, 0, 2]"));
}
