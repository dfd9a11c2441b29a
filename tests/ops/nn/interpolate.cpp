// Test cases for ops/nn/interpolate.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(interpolate) {
  using Ints = std::vector<int64_t>;
  add(Case("interpolate").normal("x", {1, 2, 3, 3}).attr("size", AttrValue(Ints{5, 4}))
          .note("nearest, size (5, 4): PyTorch 1.13's floor(dst * in / out) rule"));
  add(Case("interpolate", "nearest_scale").normal("x", {1, 1, 3, 4}).attr("scale_factor", 2.0)
          .note("nearest, scale_factor 2: the dst / 2 shortcut"));
  add(Case("interpolate", "nearest_down").normal("x", {1, 1, 7, 6})
          .attr("size", AttrValue(Ints{3, 4}))
          .note("nearest, downsampling (7, 6) -> (3, 4): float rounding of 7 / 3"));
  add(Case("interpolate", "nearest_frac_scale").normal("x", {1, 2, 10}).attr("scale_factor", 0.7)
          .note("nearest 1-D, scale_factor 0.7: s = 1 / 0.7 in float, out = 7"));
  add(Case("interpolate", "bilinear").normal("x", {1, 2, 3, 3}).attr("size", AttrValue(Ints{5, 4}))
          .attr("mode", "bilinear").note("bilinear, align_corners false, size (5, 4)"));
  add(Case("interpolate", "bilinear_corners").normal("x", {1, 2, 3, 4})
          .attr("size", AttrValue(Ints{4, 7})).attr("mode", "bilinear").attr("align_corners", true)
          .note("bilinear, align_corners true"));
  add(Case("interpolate", "bilinear_down_scale").normal("x", {1, 1, 6, 7})
          .attr("scale_factor", 0.6).attr("mode", "bilinear")
          .note("bilinear downsampling by scale_factor 0.6: s = 1 / 0.6, clamped at 0"));
  add(Case("interpolate", "linear").normal("x", {2, 3, 4}).attr("size", AttrValue(Ints{7}))
          .attr("mode", "linear").note("linear 1-D, align_corners false"));
  add(Case("interpolate", "linear_corners_one").normal("x", {1, 2, 5})
          .attr("size", AttrValue(Ints{1}))
          .attr("mode", "linear").attr("align_corners", true)
          .note("linear to one sample under align_corners: the first sample"));
}
