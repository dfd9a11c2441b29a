// var: sum((x - mean)^2) / max(N - correction, 0) over dims (empty: all), N the reduced
// count (torch.var with correction; N - correction <= 0 gives inf, or NaN for 0 / 0, as
// PyTorch). std = sqrt(var), with no gradient where var == 0 (PyTorch masks std == 0 in its
// backward). Composites.
#include <algorithm>

#include "ops/composite.h"

namespace lathe {

Tensor var(const Tensor& x, const Axes& dims, double correction, bool keepdim) {
  check_floating("var", x);
  LATHE_CHECK(correction >= 0, "[var] correction must be >= 0, got ", correction);
  uint32_t mask = axes_mask(dims, x.dim(), "var");
  int64_t count = 1;
  for (int a = 0; a < x.dim(); ++a)
    if (dims.empty() || (mask >> a & 1u)) count *= x.shape()[a];
  Tensor centered = x - mean(x, dims, true);
  double denom = std::max(0.0, static_cast<double>(count) - correction);
  return sum(centered * centered, dims, keepdim) / denom;
}

Tensor std_dev(const Tensor& x, const Axes& dims, double correction, bool keepdim) {
  check_floating("std", x);
  LATHE_CHECK(correction >= 0, "[std] correction must be >= 0, got ", correction);
  Tensor v = var(x, dims, correction, keepdim);
  Tensor positive = gt(v, 0.0);
  return where(positive, sqrt(where(positive, v, scalar_like(1.0, v))), scalar_like(0.0, v));
}

LATHE_REGISTER_OPS(var) {
  registry.add(OpDef("var", "nn")
                   .summary("variance over dims, sum of squares / (N - correction)")
                   .input("x")
                   .attr("dims", std::vector<int64_t>{}, "axes reduced; empty: all")
                   .attr("correction", 1.0, "subtracted from the count (1: unbiased)")
                   .attr("keepdim", false, "keep reduced axes with extent 1")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{
                         var(c.in("x"), c.ints("dims"), c.f("correction"), c.b("keepdim"))};
                   }));
  registry.add(OpDef("std", "nn")
                   .summary("standard deviation over dims, sqrt(var)")
                   .input("x")
                   .attr("dims", std::vector<int64_t>{}, "axes reduced; empty: all")
                   .attr("correction", 1.0, "subtracted from the count (1: unbiased)")
                   .attr("keepdim", false, "keep reduced axes with extent 1")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{
                         std_dev(c.in("x"), c.ints("dims"), c.f("correction"), c.b("keepdim"))};
                   }));
}

}  // namespace lathe
