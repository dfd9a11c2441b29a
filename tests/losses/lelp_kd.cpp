// Test cases for losses/distill/lelp_kd.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(lelp_kd) {
  using lathe::DType;
  add(Case("lelp_kd").normal("student", {5, 6}).values("target", {5}, {0, 3, 5, 2, 1}, DType::i64)
          .note("3 classes x 2 subclasses"));
  add(Case("lelp_kd", "s3_none").normal("student", {4, 6}, 2.0)
          .values("target", {4}, {0, 5, 4, 2}, DType::i64).attr("subclasses", 3)
          .attr("reduction", "none").note("2 classes x 3 subclasses, reduction none"));
}
