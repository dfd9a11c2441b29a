// Test cases for losses/divergence/energy_distance.cpp (energy_distance, hausdorff_divergence).
#include "tests/support/cases.h"

LATHE_CASES(energy_distance) {
  add(Case("energy_distance").in("x", {4, 9}, 0.0, 1.0).in("y", {4, 9}, 0.0, 1.0)
          .note("two clouds of 4 points in 9-D (flattened masks)"));
  add(Case("energy_distance", "unequal").normal("x", {5, 3}).normal("y", {3, 3}, 2.0)
          .note("5 against 3 points in 3-D"));
  add(Case("hausdorff_divergence").in("x", {2, 3, 3, 3}, 0.0, 1.0)
          .in("y", {2, 3, 3, 3}, 0.0, 1.0)
          .note("B 2, S 3 samples of 3x3 masks per side, batch mean"));
  add(Case("hausdorff_divergence", "single").in("x", {3, 1, 5}, 0.0, 1.0)
          .in("y", {3, 2, 5}, 0.0, 1.0).note("one-point clouds against two-point clouds"));
}
