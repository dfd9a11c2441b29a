// cumprod: y_i = prod_{j <= i} x_j along dim. Composite: a Hillis-Steele scan, log2(n) rounds
// of y_i <- y_i * y_(i - s) for s = 1, 2, 4, ... (O(n log n) multiplies, every one an op), so
// the gradient is exact where x has zeros (no division by x, unlike the grad = sum(g y) / x
// shortcut), as PyTorch's cumprod_backward, and double backward comes from the muls.
#include "ops/composite.h"

namespace lathe {

Tensor cumprod(const Tensor& x, int64_t dim) {
  if (x.dim() == 0) return x * 1.0;
  int ax = normalize_axis(dim, x.dim(), "cumprod");
  int64_t n = x.shape()[ax];
  Tensor y = x;
  for (int64_t s = 1; s < n; s *= 2) {
    Tensor head = narrow(y, ax, 0, s);                                     // y_0 .. y_(s-1)
    Tensor tail = narrow(y, ax, s, n - s) * narrow(y, ax, 0, n - s);      // y_i * y_(i-s)
    y = concat({head, tail}, ax);
  }
  return n == 1 ? x * 1.0 : y;
}

LATHE_REGISTER_OPS(cumprod) {
  registry.add(OpDef("cumprod", "nn")
                   .summary("cumulative product along dim (exact gradient at zeros)")
                   .input("x")
                   .attr("dim", -1, "axis of the scan")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{cumprod(c.in("x"), c.i("dim"))}; }));
}

}  // namespace lathe
