// expand: broadcasts x to a larger shape without copying (stride 0 on grown dims; -1 keeps a
// dim; new dims may be added in front).
// Backward: sum the gradient over the broadcast dims: sum_to, which is also how the engine
// reduces every broadcast gradient.
#include "core/checked.h"
#include "ops/prim/common.h"

namespace lathe {

Tensor expand(const Tensor& x, const Shape& shape) {
  LATHE_CHECK(shape.size() >= x.dim(), "[expand] cannot expand ", x.shape(), " to fewer dims ",
              shape);
  int lead = shape.size() - x.dim();
  Shape out = shape, strides = Shape::filled(shape.size(), 0);
  for (int i = 0; i < shape.size(); ++i) {
    int j = i - lead;
    if (j < 0) {
      LATHE_CHECK(shape[i] >= 0, "[expand] new leading dim ", i, " needs an extent, got ", shape[i]);
      continue;
    }
    int64_t have = x.shape()[j];
    if (shape[i] == -1) out[i] = have;
    LATHE_CHECK(out[i] == have || have == 1, "[expand] cannot expand ", x.shape(), " to ", shape,
                ": dim ", i, " has extent ", have, ", not 1");
    strides[i] = out[i] == have ? x.strides()[j] : 0;
  }
  checked_numel(out, "expand");  // an overflowing target is an error, not a corrupt view
  Tensor y = make_view(x, out, strides, x.offset());
  Shape in_shape = x.shape();
  record("expand", {x}, {y}, {}, [in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    return {sum_to(c.grad(), in_shape)};
  });
  return y;
}

LATHE_REGISTER_OPS(expand) {
  registry.add(OpDef("expand", "prim")
                   .summary("broadcasts to a larger shape without copying")
                   .input("x", Kind::any)
                   .attr("shape", std::vector<int64_t>{}, "target shape; -1 keeps a dim")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{expand(c.in("x"), Shape(c.ints("shape")))};
                   }));
}

}  // namespace lathe
