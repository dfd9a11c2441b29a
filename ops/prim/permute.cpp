// permute: reorders dims (a view): y.shape[i] = x.shape[dims[i]].
// Backward: permute the gradient by the inverse permutation.
#include "ops/prim/common.h"

namespace lathe {

Tensor permute(const Tensor& x, const Axes& dims) {
  LATHE_CHECK(static_cast<int>(dims.size()) == x.dim(), "[permute] got ", dims.size(),
              " dims for a tensor of shape ", x.shape());
  Shape shape, strides;
  Axes inverse(dims.size());
  uint32_t seen = 0;
  for (size_t i = 0; i < dims.size(); ++i) {
    int d = normalize_axis(dims[i], x.dim(), "permute");
    LATHE_CHECK(!(seen & (1u << d)), "[permute] dim ", dims[i], " repeated");
    seen |= 1u << d;
    shape.push_back(x.shape()[d]);
    strides.push_back(x.strides()[d]);
    inverse[d] = static_cast<int64_t>(i);
  }
  Tensor y = make_view(x, shape, strides, x.offset());
  record("permute", {x}, {y}, {}, [inverse](BackwardCtx& c) -> std::vector<Tensor> {
    return {permute(c.grad(), inverse)};
  });
  return y;
}

LATHE_REGISTER_OPS(permute) {
  registry.add(OpDef("permute", "prim")
                   .summary("reorders dims (a view)")
                   .input("x", Kind::any)
                   .attr("dims", std::vector<int64_t>{}, "output axis i is input axis dims[i]")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{permute(c.in("x"), c.ints("dims"))}; }));
}

}  // namespace lathe
