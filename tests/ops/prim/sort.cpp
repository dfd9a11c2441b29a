// Test cases for ops/prim/sort.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sort) {
  add(Case("sort", "ascending").distinct("x", {3, 5}).note("[3,5] distinct, default axis -1"));
  add(Case("sort", "descending").distinct("x", {4, 3}).attr("axis", 0)
          .attr("descending", true).note("[4,3] distinct, axis 0, descending"));
  add(Case("sort", "ties").small_ints("x", {3, 6}).at_kink("equal keys")
          .note("ascending with ties: stable, equal keys keep input order"));
  add(Case("sort", "ties_descending").small_ints("x", {3, 6}).attr("descending", true)
          .at_kink("equal keys")
          .note("descending with ties: still stable (first index first)"));
}
