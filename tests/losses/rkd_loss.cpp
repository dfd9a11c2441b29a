// Test cases for losses/distill/rkd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(rkd_loss) {
  add(Case("rkd_loss").normal("student", {4, 3}).normal("teacher", {4, 5}, 2.0)
          .note("w_d 25, w_a 50; B 4, D 3 vs 5"));
  add(Case("rkd_loss", "distance_only").normal("student", {5, 2, 2}).normal("teacher", {5, 3})
          .attr("w_a", 0.0).attr("w_d", 1.0).note("distance term only, features flattened"));
  add(Case("rkd_loss", "angle_only").normal("student", {3, 4}).normal("teacher", {3, 4})
          .attr("w_d", 0.0).attr("w_a", 1.0).note("angle term only, B 3"));
}
