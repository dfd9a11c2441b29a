// Test cases for ops/special/diagonal.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(diagonal) {
  add(Case("diagonal").in("x", {3, 4}).note("main diagonal of a wide matrix"));
  add(Case("diagonal", "dims").in("x", {2, 3, 4}).attr("offset", -1).attr("dim1", 2)
          .attr("dim2", 1).note("dims (2, 1), below the diagonal, batch in front"));
  add(Case("diagonal", "offset").in("x", {4, 4}).attr("offset", 2).note("above"));
  add(Case("diag").in("x", {4}).note("1-D: the diagonal matrix"));
  add(Case("diag", "offset").in("x", {3}).attr("diagonal", -1).note("1-D, below"));
  add(Case("diag", "matrix").in("x", {3, 4}).attr("diagonal", 1).note("2-D: that diagonal"));
}
