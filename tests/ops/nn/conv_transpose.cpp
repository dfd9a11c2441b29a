// Test cases for ops/nn/conv_transpose.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(conv_transpose) {
  using Ints = std::vector<int64_t>;
  add(Case("conv_transpose2d").normal("x", {1, 2, 3, 3}).normal("weight", {2, 3, 2, 2})
          .normal("bias", {3}).note("x [1,2,3,3], weight [2,3,2,2], bias: stride 1"));
  add(Case("conv_transpose2d", "stride2_pad1_outpad").normal("x", {1, 2, 3, 3})
          .normal("weight", {2, 1, 3, 3}).attr("stride", AttrValue(Ints{2}))
          .attr("padding", AttrValue(Ints{1})).attr("output_padding", AttrValue(Ints{1}))
          .note("stride 2, padding 1, output_padding 1: the inverse shape of a stride-2 conv"));
  add(Case("conv_transpose2d", "groups_dilated").normal("x", {1, 4, 3, 2})
          .normal("weight", {4, 1, 2, 3}).normal("bias", {2}).attr("groups", 2)
          .attr("dilation", AttrValue(Ints{2, 1})).attr("stride", AttrValue(Ints{1, 2}))
          .note("groups 2, dilation (2, 1), stride (1, 2)"));
  add(Case("conv_transpose2d", "crop").normal("x", {1, 1, 4, 4}).normal("weight", {1, 2, 2, 2})
          .attr("padding", AttrValue(Ints{2, 1}))
          .note("padding (2, 1) larger than dilation (K - 1): the output is cropped"));
  add(Case("conv_transpose2d", "unbatched").normal("x", {2, 3, 3}).normal("weight", {2, 1, 2, 2})
          .attr("stride", AttrValue(Ints{2})).note("unbatched x [C, H, W], stride 2"));
  add(Case("conv_transpose1d").normal("x", {2, 3, 5}).normal("weight", {3, 2, 3})
          .normal("bias", {2}).note("x [2,3,5], weight [3,2,3], bias"));
  add(Case("conv_transpose1d", "strided").normal("x", {1, 2, 4}).normal("weight", {2, 3, 3})
          .attr("stride", AttrValue(Ints{3})).attr("padding", AttrValue(Ints{1}))
          .attr("output_padding", AttrValue(Ints{2})).attr("dilation", AttrValue(Ints{2}))
          .note("stride 3, padding 1, output_padding 2, dilation 2"));
}
