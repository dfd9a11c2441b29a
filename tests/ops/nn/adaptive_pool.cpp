// Test cases for ops/nn/adaptive_pool.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(adaptive_pool) {
  using Ints = std::vector<int64_t>;
  add(Case("adaptive_avg_pool2d").normal("x", {2, 2, 4, 4}).attr("output_size", AttrValue(Ints{2}))
          .note("4 -> 2: disjoint 2x2 windows"));
  add(Case("adaptive_avg_pool2d", "uneven").normal("x", {1, 2, 5, 6})
          .attr("output_size", AttrValue(Ints{3, 4}))
          .note("(5, 6) -> (3, 4): overlapping windows of two sizes"));
  add(Case("adaptive_avg_pool2d", "upsample_unbatched").normal("x", {2, 2, 3})
          .attr("output_size", AttrValue(Ints{3, 5}))
          .note("unbatched, output larger than the input: repeated one-cell windows"));
  add(Case("adaptive_avg_pool2d", "global").normal("x", {2, 3, 3, 3})
          .attr("output_size", AttrValue(Ints{1})).note("global average pooling"));
  add(Case("adaptive_max_pool2d").distinct("x", {2, 1, 4, 4})
          .attr("output_size", AttrValue(Ints{2})).note("4 -> 2: disjoint 2x2 windows"));
  add(Case("adaptive_max_pool2d", "uneven").distinct("x", {1, 1, 5, 7})
          .attr("output_size", AttrValue(Ints{3, 4}))
          .note("(5, 7) -> (3, 4): overlapping windows, a cell may be two windows' max"));
  add(Case("adaptive_max_pool2d", "ties").small_ints("x", {1, 2, 4, 4}, 0, 2)
          .attr("output_size", AttrValue(Ints{3}))
          .at_kink("tied maxima: the first in row-major order takes the gradient, as PyTorch")
          .note("ties inside overlapping windows"));
  add(Case("adaptive_max_pool2d", "unbatched").distinct("x", {2, 3, 5})
          .attr("output_size", AttrValue(Ints{2, 3})).note("unbatched x [C, H, W]"));
}
