// Test cases for ops/nn/conv.cpp: conv1d, conv2d, conv3d (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(conv) {
  using Ints = std::vector<int64_t>;
  add(Case("conv2d").normal("x", {2, 2, 4, 4}).normal("weight", {3, 2, 3, 3}).normal("bias", {3})
          .note("x [2,2,4,4], weight [3,2,3,3], bias: stride 1, no padding"));
  add(Case("conv2d", "stride2_pad1").normal("x", {1, 2, 5, 5}).normal("weight", {2, 2, 3, 3})
          .attr("stride", AttrValue(Ints{2})).attr("padding", AttrValue(Ints{1}))
          .note("stride 2, padding 1, no bias"));
  add(Case("conv2d", "same_dilated").normal("x", {1, 2, 5, 4}).normal("weight", {2, 2, 2, 3})
          .normal("bias", {2}).attr("auto_pad", "same").attr("dilation", AttrValue(Ints{2, 1}))
          .note("auto_pad same with an even kernel and dilation (2, 1): uneven padding"));
  add(Case("conv2d", "per_side").normal("x", {1, 1, 4, 5}).normal("weight", {2, 1, 3, 2})
          .attr("padding", AttrValue(Ints{1, 0, 0, 2})).attr("stride", AttrValue(Ints{1, 2}))
          .note("padding (left 1, right 0, top 0, bottom 2), stride (1, 2)"));
  add(Case("conv2d", "groups").normal("x", {1, 4, 4, 4}).normal("weight", {4, 2, 2, 2})
          .normal("bias", {4}).attr("groups", 2).attr("padding", AttrValue(Ints{0, 1}))
          .note("groups 2, padding (0, 1) per dim"));
  add(Case("conv2d", "depthwise").normal("x", {1, 3, 4, 4}).normal("weight", {3, 1, 3, 3})
          .attr("groups", 3).attr("padding", AttrValue(Ints{1})).attr("auto_pad", "")
          .note("depthwise: groups = channels, padding 1"));
  add(Case("conv2d", "unbatched").normal("x", {2, 4, 4}).normal("weight", {2, 2, 2, 2})
          .attr("auto_pad", "valid").note("unbatched x [C, H, W], auto_pad valid"));
  add(Case("conv2d", "one_by_one").normal("x", {2, 3, 3, 3}).normal("weight", {2, 3, 1, 1})
          .normal("bias", {2}).oracle_only("basic gradchecks the same path")
          .note("1x1 kernel (one window)"));
  add(Case("conv1d").normal("x", {2, 3, 8}).normal("weight", {4, 3, 3}).normal("bias", {4})
          .note("x [2,3,8], weight [4,3,3], bias"));
  add(Case("conv1d", "strided_dilated").normal("x", {1, 2, 9}).normal("weight", {4, 1, 3})
          .attr("stride", AttrValue(Ints{2})).attr("dilation", AttrValue(Ints{2}))
          .attr("padding", AttrValue(Ints{1, 2})).attr("groups", 2)
          .note("stride 2, dilation 2, padding (lo 1, hi 2), groups 2"));
  add(Case("conv1d", "same").normal("x", {2, 7}).normal("weight", {3, 2, 4}).normal("bias", {3})
          .attr("auto_pad", "same").note("unbatched, auto_pad same with an even kernel"));
  add(Case("conv3d").normal("x", {1, 2, 3, 3, 3}).normal("weight", {2, 2, 2, 2, 2})
          .normal("bias", {2}).note("x [1,2,3,3,3], weight [2,2,2,2,2], bias"));
  add(Case("conv3d", "strided_groups").normal("x", {1, 2, 3, 2, 4})
          .normal("weight", {2, 1, 2, 1, 2})
          .attr("stride", AttrValue(Ints{2, 1, 2})).attr("padding", AttrValue(Ints{1, 0, 1}))
          .attr("groups", 2).note("stride (2, 1, 2), padding (1, 0, 1), groups 2"));
}
