// Test cases for ops/special/var.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(var) {
  add(Case("var").in("x", {3, 4}).note("all elements, unbiased"));
  add(Case("var", "dims").in("x", {2, 3, 4}).attr("dims", std::vector<int64_t>{0, 2})
          .attr("correction", 0.0).attr("keepdim", true).note("two dims, biased, keepdim"));
  add(Case("std").in("x", {3, 4}).attr("dims", std::vector<int64_t>{1}).note("per row"));
  add(Case("std", "correction2").in("x", {2, 5}).attr("correction", 2.0).note("correction 2"));
}
