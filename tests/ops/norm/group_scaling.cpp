// Cases and unit tests for ops/norm/group_scaling.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

LATHE_CASES(group_scaling) {
  add(Case("group_scaling", "t_b_c").in("x", {3, 2, 8}).attr("groups", 4)
          .note("(T,B,C) = [3,2,8], 4 groups"));
  add(Case("group_scaling", "two_groups").in("x", {4, 6}).attr("groups", 2)
          .note("[4,6], 2 groups"));
  add(Case("group_scaling", "one_group").normal("x", {4, 6}).attr("groups", 1)
          .note("[4,6], 1 group: an RMSNorm without gamma"));
  add(Case("group_scaling", "zero_group")
          .values("x", {2, 6}, {0.7, -1.4, 0, 0, 1.2, 0.3, -0.5, 2.0, 0, 0, -1.1, 0.9})
          .attr("groups", 3)
          .oracle_only("the eps path: the unit tests check it")
          .note("[2,6], 3 groups, one group all zero (eps path)"));
}

TEST_CASE("group_scaling is rms_norm per group without a scale", "[unit][norm]") {
  Generator gen(6);
  Tensor x = randn({2, 3, 8}, DType::f64, default_device(), &gen);
  Tensor y = group_scaling(x, 2);
  Tensor by_group = reshape(rms_norm(reshape(x, {2, 3, 2, 4})), {2, 3, 8});
  CHECK(compare(y, by_group, 1e-14, 1e-14) == "");
  // An all-zero group stays 0 through eps.
  Tensor z = concat({x.slice(-1, 0, 4), zeros({2, 3, 4}, DType::f64)}, -1);
  CHECK(sum(abs(group_scaling(z, 2).slice(-1, 4, 8))).item() == 0.0);
}

TEST_CASE("group_scaling: channels not divisible by the groups are rejected",
          "[unit][norm][errors]") {
  CHECK_THROWS_WITH(group_scaling(zeros({2, 6}, DType::f64), 4),
                    Catch::Contains("[group_scaling] 6 channels cannot be split into 4"));
  CHECK_THROWS_WITH(group_scaling(zeros({2, 6}, DType::f64), 0),
                    Catch::Contains("[group_scaling]"));
}
