// group_scaling: x [..., C] split into G groups of C / G channels; per (row, group)
//   m2 = mean(x^2 over the group's channels), y = x / sqrt(m2 + eps)
// (an RMSNorm per token and group, without gamma). PowerNorm applies it before its batch
// statistics.
// Paper: "PowerNorm: Rethinking Batch Normalization in Transformers" (Shen et al., ICML 2020);
// official code only: sIncerass/powernorm, fairseq/modules/norms/mask_powernorm.py
// (GroupScaling1D, on x (T, B, C)), checked: the mean of x^2 over each group's C / G channels,
// repeated over the group, eps inside the sqrt, no parameters. Defaults: groups = 4 (the class
// default; MaskPowerNorm builds it with its own group_num, NormSelect with the number of
// attention heads), eps = 1e-5. C not divisible by G is rejected (the official reshape to
// (T, B, G, C // G) fails there).
// Composite: plain autograd, as in the official code.
#include "ops/norm/common.h"

namespace lathe {

Tensor group_scaling(const Tensor& x, int64_t groups, double eps) {
  check_floating("group_scaling", x);
  LATHE_CHECK(x.dim() >= 1, "[group_scaling] expected x [..., C], got a 0-d tensor");
  int64_t c = x.shape().back();
  LATHE_CHECK(groups >= 1 && c % groups == 0, "[group_scaling] ", c,
              " channels cannot be split into ", groups, " equal groups");
  LATHE_CHECK(eps >= 0, "[group_scaling] eps must be >= 0, got ", eps);
  Shape grouped = x.shape();
  grouped[grouped.size() - 1] = groups;
  grouped.push_back(c / groups);
  DType sd = norms::stat_dtype(x);
  Tensor xg = reshape(norms::as_dtype(x, sd), grouped);   // [..., G, C / G]
  Tensor y = xg / sqrt(mean(xg * xg, {-1}, true) + eps);  // [..., G, C / G]
  return norms::as_dtype(reshape(y, x.shape()), x.dtype());
}

LATHE_REGISTER_OPS(group_scaling) {
  registry.add(OpDef("group_scaling", "normalization")
                   .summary("x / sqrt(mean(x^2) + eps) per row and channel group (PowerNorm)")
                   .paper("PowerNorm: Rethinking Batch Normalization in Transformers "
                          "(Shen et al., 2020)")
                   .input("x")
                   .attr("groups", 4, "channel groups; must divide C")
                   .attr("eps", 1e-5, "added to the mean square")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{group_scaling(c.in("x"), c.i("groups"), c.f("eps"))};
                   }));
}

}  // namespace lathe
