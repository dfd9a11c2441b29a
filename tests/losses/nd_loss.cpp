// Test cases for losses/distill/nd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(nd_loss) {
  add(Case("nd_loss").normal("student", {4, 6}).normal("teacher", {4, 6})
          .normal("centers", {3, 6}).index("target", {4}, 3)
          .note("student and teacher norms mixed: the max switches between rows"));
  add(Case("nd_loss", "factor").normal("student", {3, 4}, 3.0).normal("teacher", {3, 4}, 0.5)
          .normal("centers", {5, 4}).index("target", {3}, 5).attr("factor", 2.0)
          .note("student norms the larger, factor 2"));
}
