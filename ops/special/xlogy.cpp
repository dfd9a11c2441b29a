// xlogy: y = x log(b), 0 where x == 0 (also for b = 0 or inf), NaN where b is NaN: torch.xlogy.
// Composite: y = x log(b'), b' = 1 where x == 0 and b is 0 or inf, so log(0) = -inf and
// log(inf) = inf never meet the 0 (nor their gradients). Gradients as PyTorch's: dy/dx =
// log b (0 at x == b == 0), dy/db = x / b. NOTE: two edges differ from PyTorch: at x == b == 0
// dy/db is 0 (PyTorch: 0 / 0 = NaN), at x == 0, b = inf dy/dx is 0 (PyTorch: inf); the value
// there is a constant 0, and lathe's ops do not return NaN for valid input.
#include <limits>

#include "ops/composite.h"

namespace lathe {

Tensor xlogy(const Tensor& x, const Tensor& b) {
  check_floating("xlogy", "x", x);
  check_floating("xlogy", "b", b);
  const double inf = std::numeric_limits<double>::infinity();
  Tensor edge = logical_and(eq(x, 0.0), logical_or(eq(b, 0.0), eq(b, inf)));
  return x * log(where(edge, 1.0, b));
}

LATHE_REGISTER_OPS(xlogy) {
  registry.add(OpDef("xlogy", "nn")
                   .summary("x log(b), 0 where x == 0 (torch.xlogy)")
                   .input("x")
                   .input("b")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{xlogy(c.in("x"), c.in("b"))}; }));
}

}  // namespace lathe
