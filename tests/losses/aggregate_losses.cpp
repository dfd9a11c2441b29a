// Test cases for losses/regression/aggregate_{bag,instance,interp}_loss.cpp (gradcheck,
// conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(aggregate_losses) {
  using lathe::DType;
  const std::vector<double> unequal = {0, 0, 1, 1, 1, 2, 2};   // bags of 2, 3 and 2
  const std::vector<double> equal = {1, 0, 2, 0, 1, 2};        // bags of 2, unsorted ids
  add(Case("aggregate_bag_loss").normal("pred", {7}).values("bag_ids", {7}, unequal, DType::i64)
          .normal("bag_y", {3}).note("seven instances in bags of 2, 3 and 2"));
  add(Case("aggregate_bag_loss", "none").normal("pred", {6})
          .values("bag_ids", {6}, equal, DType::i64).normal("bag_y", {3})
          .attr("reduction", "none").note("unsorted ids, equal bags, reduction none"));
  add(Case("aggregate_bag_loss", "singletons_sum").normal("pred", {3})
          .values("bag_ids", {3}, {2, 0, 1}, DType::i64).normal("bag_y", {3})
          .attr("reduction", "sum").note("bags of one (the instance loss), reduction sum"));
  add(Case("aggregate_instance_loss").normal("pred", {7})
          .values("bag_ids", {7}, unequal, DType::i64).normal("bag_y", {3})
          .note("seven instances in bags of 2, 3 and 2"));
  add(Case("aggregate_instance_loss", "none").normal("pred", {6})
          .values("bag_ids", {6}, equal, DType::i64).normal("bag_y", {3})
          .attr("reduction", "none").note("unsorted ids, reduction none"));
  add(Case("aggregate_interp_loss").normal("pred", {7})
          .values("bag_ids", {7}, unequal, DType::i64).normal("bag_y", {3}).attr("rho", 0.3)
          .note("convex reading, rho 0.3, unequal bags"));
  add(Case("aggregate_interp_loss", "regularized").normal("pred", {7})
          .values("bag_ids", {7}, unequal, DType::i64).normal("bag_y", {3}).attr("rho", 0.3)
          .attr("variant", "regularized").note("regularized reading, unequal bags (differs)"));
  add(Case("aggregate_interp_loss", "rho1_equal").normal("pred", {6})
          .values("bag_ids", {6}, equal, DType::i64).normal("bag_y", {3}).attr("rho", 1.0)
          .attr("variant", "regularized").note("rho 1 on equal bags: the instance loss"));
}
