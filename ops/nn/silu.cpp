// silu (swish): y = x * sigmoid(x). Composite.
#include "ops/composite.h"

namespace lathe {

Tensor silu(const Tensor& x) {
  check_floating("silu", x);
  return x * sigmoid(x);
}

LATHE_REGISTER_OPS(silu) {
  registry.add(OpDef("silu", "nn")
                   .summary("x * sigmoid(x)")
                   .input("x")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{silu(c.in("x"))}; }));
}

}  // namespace lathe
