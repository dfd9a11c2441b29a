// Cases and unit tests for ops/norm/group_norm.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(group_norm) {
  add(Case("group_norm", "affine")
          .in("x", {2, 4, 3})
          .in("weight", {4}, 0.5, 2.0)
          .in("bias", {4})
          .attr("groups", 2)
          .note("[2,4,3], 2 groups, weight and bias"));
  add(Case("group_norm", "nchw").in("x", {2, 6, 2, 2}).attr("groups", 3)
          .note("[2,6,2,2], 3 groups, no affine"));
  add(Case("group_norm", "instance")
          .normal("x", {2, 3, 4})
          .in("weight", {3}, 0.5, 2.0)
          .normal("bias", {3})
          .attr("groups", 3)
          .note("[2,3,4], 3 groups (one channel each: instance norm)"));
}

TEST_CASE("group_norm: one group is a layer norm over (C, *), C groups an instance norm",
          "[unit][norm]") {
  Generator gen(14);
  Tensor x = randn({2, 3, 4}, DType::f64, default_device(), &gen);
  CHECK(compare(group_norm(x, 1), layer_norm(x, Tensor(), Tensor(), Shape{3, 4}), 1e-14, 1e-14) ==
        "");
  CHECK(compare(group_norm(x, 3), layer_norm(x), 1e-14, 1e-14) == "");
  CHECK_THROWS_WITH(group_norm(x, 2), Catch::Contains("[group_norm] 3 channels cannot be split"));
}
