// Test cases for ops/nn/unfold.cpp: unfold and fold (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(unfold) {
  using Ints = std::vector<int64_t>;
  add(Case("unfold").normal("x", {1, 1, 4, 4}).attr("kernel_size", AttrValue(Ints{2}))
          .note("2x2 windows, stride 1: overlapping columns [1, 4, 9]"));
  add(Case("unfold", "stride_pad_dilation").normal("x", {1, 1, 5, 6})
          .attr("kernel_size", AttrValue(Ints{2, 3})).attr("stride", AttrValue(Ints{2, 1}))
          .attr("padding", AttrValue(Ints{1, 0})).attr("dilation", AttrValue(Ints{1, 2}))
          .note("kernel (2, 3), stride (2, 1), padding (1, 0), dilation (1, 2)"));
  add(Case("unfold", "unbatched").normal("x", {1, 3, 4}).attr("kernel_size", AttrValue(Ints{3}))
          .attr("padding", AttrValue(Ints{1})).attr("stride", AttrValue(Ints{2}))
          .note("unbatched x [C, H, W] -> [C K, L]"));
  add(Case("fold").normal("cols", {1, 4, 9}).attr("output_size", AttrValue(Ints{4}))
          .attr("kernel_size", AttrValue(Ints{2}))
          .note("unfold's adjoint: overlapping 2x2 windows summed into [1, 1, 4, 4]"));
  add(Case("fold", "stride_pad_dilation").normal("cols", {1, 6, 6})
          .attr("output_size", AttrValue(Ints{5, 6})).attr("kernel_size", AttrValue(Ints{2, 3}))
          .attr("stride", AttrValue(Ints{2, 1})).attr("padding", AttrValue(Ints{1, 0}))
          .attr("dilation", AttrValue(Ints{1, 2}))
          .note("kernel (2, 3), stride (2, 1), padding (1, 0), dilation (1, 2): overlaps, "
                "the padding cropped"));
  add(Case("fold", "unbatched").normal("cols", {9, 6}).attr("output_size", AttrValue(Ints{3}))
          .attr("kernel_size", AttrValue(Ints{3})).attr("padding", AttrValue(Ints{1}))
          .attr("stride", AttrValue(Ints{2, 1})).note("unbatched cols [C K, L] -> [1, 3, 3]"));
}
