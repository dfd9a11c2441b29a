// where: y = cond ? a : b (broadcasting all three; cond is bool).
// Backward: the gradient goes to a where cond holds and to b elsewhere; cond gets none.
#include "ops/prim/common.h"

namespace lathe {

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  LATHE_CHECK(cond.dtype() == DType::boolean, "[where] cond must be bool, got ", cond.dtype());
  const Backend& be = kernel::backend_for("where", {cond, a, b});
  Shape shape = broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(),
                                 "where");
  DType t = promote(a.dtype(), b.dtype());
  Tensor ac = a.dtype() == t ? a : kernel::contiguous_as("where", a, t);
  Tensor bc = b.dtype() == t ? b : kernel::contiguous_as("where", b, t);
  Tensor y = kernel::empty(shape, t, a.device());
  lathe_view vc = view_of(cond, shape), va = view_of(ac, shape), vb = view_of(bc, shape),
             vy = view_of(y);
  be.check(be.fn().where(a.device().index, &vc, &va, &vb, &vy), "where");
  record("where", {cond, a, b}, {y}, {cond}, [](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor cond = c.saved(0);
    return {Tensor(), c.needs(1) ? where(cond, c.grad(), 0.0) : Tensor(),
            c.needs(2) ? where(cond, 0.0, c.grad()) : Tensor()};
  });
  return y;
}

Tensor where(const Tensor& cond, const Tensor& a, double b) {
  return where(cond, a, scalar_like(b, a));
}

Tensor where(const Tensor& cond, double a, const Tensor& b) {
  return where(cond, scalar_like(a, b), b);
}

LATHE_REGISTER_OPS(where) {
  registry.add(OpDef("where", "prim")
                   .summary("cond ? a : b")
                   .input("cond", Kind::boolean)
                   .input("a")
                   .input("b")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{where(c.in("cond"), c.in("a"), c.in("b"))};
                   }));
}

}  // namespace lathe
