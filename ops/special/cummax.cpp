// cummax: {values, indices}: values_i = max_{j <= i} x_j along dim, indices_i the position of
// that maximum, the later one on ties, and NaN counts as the largest (a later NaN takes over):
// torch.cummax's rule (combine: take the later candidate c over the earlier p when c is NaN or
// (p is not NaN and c >= p)). Composite: the indices come from a Hillis-Steele scan of that
// combine without gradient; values = gather(x, indices), so the gradient reaches the chosen
// elements (PyTorch's cummax backward scatters it the same way).
#include "ops/composite.h"

namespace lathe {

std::pair<Tensor, Tensor> cummax(const Tensor& x, int64_t dim) {
  if (x.dim() == 0) return {x * 1.0, zeros({}, DType::i64, x.device())};
  int ax = normalize_axis(dim, x.dim(), "cummax");
  int64_t n = x.shape()[ax];
  Tensor index;
  {
    NoGradGuard no_grad;
    Shape at = Shape::filled(x.dim(), 1);
    at[ax] = n;
    index = expand(reshape(arange(0.0, static_cast<double>(n), 1.0, DType::i64, x.device()), at),
                   x.shape());
    Tensor v = x.detach();
    for (int64_t s = 1; s < n; s *= 2) {
      Tensor p = narrow(v, ax, 0, n - s), pi = narrow(index, ax, 0, n - s);   // earlier
      Tensor c = narrow(v, ax, s, n - s), ci = narrow(index, ax, s, n - s);   // later
      Tensor later = logical_or(ne(c, c), logical_and(eq(p, p), ge(c, p)));
      v = concat({narrow(v, ax, 0, s), where(later, c, p)}, ax);
      index = concat({narrow(index, ax, 0, s), where(later, ci, pi)}, ax);
    }
    index = clone(index);
  }
  return {gather(x, index, ax), index};
}

LATHE_REGISTER_OPS(cummax) {
  registry.add(OpDef("cummax", "nn")
                   .summary("running maximum along dim, with its indices (later index on ties)")
                   .input("x")
                   .attr("dim", -1, "axis of the scan")
                   .output("values")
                   .output("indices", Kind::integer)
                   .run([](const OpCall& c) {
                     auto [values, indices] = cummax(c.in("x"), c.i("dim"));
                     return Outputs{values, indices};
                   }));
}

}  // namespace lathe
