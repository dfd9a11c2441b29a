// norm: the vector p-norm over dims (empty: all), torch.linalg.vector_norm:
//   p = 2 (and the Frobenius norm): sqrt(sum x^2); p = 1: sum |x|; p = inf: max |x|;
//   p = -inf: min |x|; p = 0: the count of nonzeros (no gradient); other p > 0:
//   (sum |x|^p)^(1/p).
// Composite. A zero norm passes no gradient (PyTorch masks norm == 0 in its backward): the root
// is taken of where(s > 0, s, 1), so neither sqrt'(0) = inf nor 0 * inf reaches the graph. Ties
// of max |x| share the gradient evenly, as PyTorch's inf-norm backward.
#include <cmath>

#include "ops/composite.h"

namespace lathe {

namespace {

// s^(1/p), 0 where s == 0, with no gradient there.
Tensor safe_root(const Tensor& s, double p) {
  Tensor positive = gt(s, 0.0);
  Tensor safe = where(positive, s, scalar_like(1.0, s));
  Tensor root = p == 2.0 ? sqrt(safe) : pow(safe, 1.0 / p);
  return where(positive, root, scalar_like(0.0, s));
}

}  // namespace

Tensor norm(const Tensor& x, double p, const Axes& dims, bool keepdim) {
  check_floating("norm", x);
  LATHE_CHECK(!std::isnan(p) && (p >= 0 || std::isinf(p)),
              "[norm] p must be >= 0, inf or -inf, got ", p);
  if (std::isinf(p)) return p > 0 ? max(abs(x), dims, keepdim) : min(abs(x), dims, keepdim);
  if (p == 0) {
    NoGradGuard no_grad;
    return sum(cast(ne(x, 0.0), x.dtype()), dims, keepdim);
  }
  if (p == 1) return sum(abs(x), dims, keepdim);
  if (p == 2) return safe_root(sum(x * x, dims, keepdim), 2.0);
  return safe_root(sum(pow(abs(x), p), dims, keepdim), p);
}

LATHE_REGISTER_OPS(norm) {
  registry.add(OpDef("norm", "nn")
                   .summary("vector p-norm over dims (p = 2: Frobenius; inf: max |x|)")
                   .input("x")
                   .attr("p", 2.0, "order: > 0, 0 (count of nonzeros), inf or -inf")
                   .attr("dims", std::vector<int64_t>{}, "axes reduced; empty: all")
                   .attr("keepdim", false, "keep reduced axes with extent 1")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{norm(c.in("x"), c.f("p"), c.ints("dims"), c.b("keepdim"))};
                   }));
}

}  // namespace lathe
