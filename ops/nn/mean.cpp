// mean: sum over axes divided by the number of elements reduced. Composite.
#include "ops/composite.h"

namespace lathe {

Tensor mean(const Tensor& x, const Axes& axes, bool keepdim) {
  check_floating("mean", x);
  uint32_t mask = axes_mask(axes, x.dim(), "mean");
  int64_t n = 1;
  for (int i = 0; i < x.dim(); ++i)
    if (mask & (1u << i)) n *= x.shape()[i];
  return sum(x, axes, keepdim) / static_cast<double>(n);
}

LATHE_REGISTER_OPS(mean) { registry.add(reduction_def("mean", "mean over axes", mean, Kind::floating, "nn")); }

}  // namespace lathe
