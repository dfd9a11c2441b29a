// Test cases for losses/distill/landmark_kd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(landmark_kd_loss) {
  add(Case("landmark_kd_loss").normal("input", {2, 10}).normal("target", {2, 10})
          .normal("teacher", {2, 10}).normal("tolerant", {2, 10})
          .note("defaults; random coordinates, away from the kinks (x = g, x = T')"));
  add(Case("landmark_kd_loss", "near_teachers")
          .values("input", {6}, {0.30, 0.62, -0.41, 1.20, 0.05, -0.75})
          .values("target", {6}, {0.10, 0.50, -0.20, 0.90, 0.40, -0.30})
          .values("teacher", {6}, {0.20, 0.58, -0.25, 1.00, 0.30, -0.50})
          .values("tolerant", {6}, {0.35, 0.45, -0.70, 0.70, 0.25, -0.10})
          .attr("wm", 1.0).attr("wh", 2.0).attr("wl", 0.5)
          .note("students inside, beyond and in the bands of both teachers, other weights"));
}
