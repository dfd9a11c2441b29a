// Test cases for ops/layer/scattering_transform_2d.cpp (gradcheck, conformance, oracle against
// a float64 PyTorch port of Kymatio's algorithm, itself checked against kymatio 0.3.0).
#include "tests/support/cases.h"

LATHE_CASES(scattering_transform_2d) {
  add(Case("scattering_transform_2d").normal("x", {1, 8, 8}).attr("l", 2)
          .note("J 2, L 2: K = 1 + 4 + 4 = 9 maps of 2 x 2"));
  add(Case("scattering_transform_2d", "j1_nonsquare").normal("x", {1, 6, 7}).attr("j", 1)
          .attr("l", 3).note("J 1, L 3 on 6 x 7 (odd padding, floor sizes): K 4, no order 2"));
  add(Case("scattering_transform_2d", "first_order").normal("x", {1, 1, 8, 8}).attr("l", 3)
          .attr("max_order", 1).note("max_order 1, J 2, L 3, [B, C] batch dims: K 7"));
  add(Case("scattering_transform_2d", "l3").normal("x", {1, 8, 8}, 2.0).attr("l", 3)
          .note("J 2, L 3: K = 1 + 6 + 9 = 16 (ScatSimCLR's L 8, K 81: layer_test.cpp)"));
}
