// Test cases for ops/metric/matrix_nuclear_norm.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(matrix_nuclear_norm) {
  add(Case("matrix_nuclear_norm").normal("r", {6, 9})
          .note("hidden states [6, 9]: the 6 largest of 9 column norms"));
  add(Case("matrix_nuclear_norm", "tall").normal("r", {7, 4}).note("L > d: every column"));
  add(Case("matrix_nuclear_norm", "batch_top").normal("r", {2, 5, 6}).attr("top", 2)
          .note("two responses, top 2 columns"));
}
