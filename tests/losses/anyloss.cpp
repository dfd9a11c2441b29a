// Test cases for losses/classification/anyloss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(anyloss) {
  using lathe::DType;
  const std::vector<double> y = {1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0};
  // p within 0.1 of 0.5 and L = 10: gradients not ~0 (the catalog's advice)
  for (const char* m : {"fbeta", "gmean", "gmean_sqrt", "bacc", "acc"})
    add(Case("anyloss", m).in("input", {16}, 0.4, 0.6).values("target", {16}, y, DType::i64)
            .attr("metric", m).attr("L", 10.0).note(std::string("metric ") + m + ", L 10"));
  add(Case("anyloss", "fbeta2_l73").in("input", {8}, 0.45, 0.55)
          .values("target", {8}, {1, 1, 0, 0, 1, 0, 1, 0}, DType::i64).attr("L", 73.0)
          .attr("beta", 2.0).note("F2, the paper's L 73"));
  add(Case("anyloss", "one_class").in("input", {6}, 0.4, 0.6)
          .values("target", {6}, {1, 1, 1, 1, 1, 1}, DType::i64).attr("metric", "bacc")
          .attr("L", 10.0).note("one-class batch: y0 = 0, only s keeps it finite"));
}
