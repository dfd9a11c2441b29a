// gelu: Gaussian Error Linear Units (Hendrycks & Gimpel, 2016), https://arxiv.org/abs/1606.08415
//   "none": y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
//   "tanh": y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
// Composite.
#include "ops/composite.h"

namespace lathe {

Tensor gelu(const Tensor& x, const std::string& approximate) {
  check_floating("gelu", x);
  if (approximate == "none") return 0.5 * x * (1.0 + erf(x * 0.7071067811865476));
  LATHE_CHECK(approximate == "tanh", "[gelu] approximate must be \"none\" or \"tanh\", got \"",
              approximate, "\"");
  Tensor inner = 0.7978845608028654 * (x + 0.044715 * x * x * x);
  return 0.5 * x * (1.0 + tanh(inner));
}

LATHE_REGISTER_OPS(gelu) {
  registry.add(OpDef("gelu", "nn")
                   .summary("x * Phi(x), exact (erf) or tanh approximation")
                   .paper("Gaussian Error Linear Units (GELUs)")
                   .input("x")
                   .attr("approximate", "none", "none | tanh")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{gelu(c.in("x"), c.s("approximate"))};
                   }));
}

}  // namespace lathe
