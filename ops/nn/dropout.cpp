// dropout: inverted dropout, y = x * keep / (1 - p), keep_k = (u_k >= p) for the uniform draw
// u_k of element k (row-major). With seed >= 0 the draw uses (seed, offset 0), so a call is
// reproducible on every backend; otherwise it comes from the global generator.
// training = false or p = 0: y = x. p = 1: y = 0. Composite (the mask is a constant).
#include "core/random.h"
#include "ops/composite.h"

namespace lathe {

Tensor dropout(const Tensor& x, double p, bool training, int64_t seed) {
  check_floating("dropout", x);
  LATHE_CHECK(p >= 0 && p <= 1, "[dropout] p must lie in [0, 1], got ", p);
  if (!training || p == 0) return x;
  if (p == 1) return x * 0.0;
  Tensor u = seed >= 0 ? random_draw(LATHE_RAND_UNIFORM, x.shape(), x.dtype(), x.device(),
                                     static_cast<uint64_t>(seed), 0, 0.0, 1.0)
                       : rand_like(x);
  Tensor keep = cast(ge(u, p), x.dtype());
  return x * keep * (1.0 / (1.0 - p));
}

LATHE_REGISTER_OPS(dropout) {
  registry.add(OpDef("dropout", "nn")
                   .summary("inverted dropout with a reproducible counter-based mask")
                   .paper("Dropout: A Simple Way to Prevent Neural Networks from Overfitting")
                   .input("x")
                   .attr("p", 0.5, "probability in [0, 1] of zeroing an element")
                   .attr("training", true, "false: y = x")
                   .attr("seed", -1, "-1: draw from the global generator")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{dropout(c.in("x"), c.f("p"), c.b("training"), c.i("seed"))};
                   }));
}

}  // namespace lathe
