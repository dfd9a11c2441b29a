// Test cases for ops/nn/pool.cpp: max_pool1d/2d, avg_pool1d/2d (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(pool) {
  using Ints = std::vector<int64_t>;
  add(Case("max_pool2d").distinct("x", {2, 1, 4, 6}).attr("kernel_size", AttrValue(Ints{2}))
          .note("2x2 windows, stride = kernel"));
  add(Case("max_pool2d", "overlap_pad").distinct("x", {1, 2, 5, 5})
          .attr("kernel_size", AttrValue(Ints{3})).attr("stride", AttrValue(Ints{2}))
          .attr("padding", AttrValue(Ints{1}))
          .note("3x3 stride 2 padding 1 (ResNet's stem): overlapping windows, -inf padding"));
  add(Case("max_pool2d", "ceil_dilated").distinct("x", {1, 1, 6, 7})
          .attr("kernel_size", AttrValue(Ints{2, 3})).attr("stride", AttrValue(Ints{2}))
          .attr("dilation", AttrValue(Ints{2, 1})).attr("ceil_mode", true)
          .note("kernel (2, 3), dilation (2, 1), ceil_mode: a partial last window"));
  add(Case("max_pool2d", "ties").small_ints("x", {1, 2, 4, 4}, 0, 2)
          .attr("kernel_size", AttrValue(Ints{2})).attr("stride", AttrValue(Ints{1}))
          .at_kink("tied maxima: the first in window order takes the gradient, as in PyTorch")
          .note("ties inside windows"));
  add(Case("max_pool2d", "unbatched").distinct("x", {2, 5, 4})
          .attr("kernel_size", AttrValue(Ints{3, 2})).attr("ceil_mode", true)
          .note("unbatched x [C, H, W], ceil_mode"));
  add(Case("max_pool1d").distinct("x", {2, 3, 9}).attr("kernel_size", AttrValue(Ints{3}))
          .attr("stride", AttrValue(Ints{2})).attr("padding", AttrValue(Ints{1}))
          .note("kernel 3, stride 2, padding 1"));
  add(Case("max_pool1d", "ceil_dilated").distinct("x", {1, 2, 10})
          .attr("kernel_size", AttrValue(Ints{2})).attr("stride", AttrValue(Ints{3}))
          .attr("dilation", AttrValue(Ints{3})).attr("ceil_mode", true)
          .note("kernel 2, stride 3, dilation 3, ceil_mode"));
  add(Case("avg_pool2d").normal("x", {2, 2, 4, 4}).attr("kernel_size", AttrValue(Ints{2}))
          .note("2x2 windows, stride = kernel"));
  add(Case("avg_pool2d", "pad_ceil").normal("x", {1, 2, 5, 5})
          .attr("kernel_size", AttrValue(Ints{3})).attr("stride", AttrValue(Ints{2}))
          .attr("padding", AttrValue(Ints{1})).attr("ceil_mode", true)
          .note("padding counted in the divisor, ceil_mode overhang not counted"));
  add(Case("avg_pool2d", "exclude_pad").normal("x", {1, 2, 5, 4})
          .attr("kernel_size", AttrValue(Ints{3, 2})).attr("stride", AttrValue(Ints{2, 1}))
          .attr("padding", AttrValue(Ints{1})).attr("ceil_mode", true)
          .attr("count_include_pad", false)
          .note("count_include_pad false: the divisor counts cells inside x only"));
  add(Case("avg_pool2d", "divisor").normal("x", {2, 4, 4}).attr("kernel_size", AttrValue(Ints{2}))
          .attr("stride", AttrValue(Ints{1})).attr("padding", AttrValue(Ints{1}))
          .attr("divisor_override", 3).note("unbatched, divisor_override 3"));
  add(Case("avg_pool1d").normal("x", {2, 3, 8}).attr("kernel_size", AttrValue(Ints{3}))
          .attr("stride", AttrValue(Ints{2})).attr("padding", AttrValue(Ints{1}))
          .note("kernel 3, stride 2, padding 1"));
  add(Case("avg_pool1d", "exclude_pad_ceil").normal("x", {1, 2, 7})
          .attr("kernel_size", AttrValue(Ints{4})).attr("stride", AttrValue(Ints{3}))
          .attr("padding", AttrValue(Ints{2})).attr("ceil_mode", true)
          .attr("count_include_pad", false).note("count_include_pad false with ceil_mode"));
}
