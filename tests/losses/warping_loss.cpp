// Test cases for losses/segmentation/warping_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(warping_loss) {
  std::vector<double> fg = {0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0};
  std::vector<double> g(32);
  for (size_t i = 0; i < 16; ++i) {
    g[i] = 1.0 - fg[i];
    g[16 + i] = fg[i];
  }
  add(Case("warping_loss").normal("input", {1, 2, 4, 4}).values("target", {1, 2, 4, 4}, g)
          .mask("critical", {1, 4, 4}).note("logits [1,2,4,4], random critical mask"));
  add(Case("warping_loss", "no_critical").normal("input", {1, 2, 4, 4})
          .values("target", {1, 2, 4, 4}, g)
          .values("critical", {1, 4, 4}, std::vector<double>(16, 0.0), DType::boolean)
          .attr("weight", 0.5).note("no critical pixel: the CE term is 0"));
}
