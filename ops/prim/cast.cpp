// cast: y = x converted to another dtype (float -> int truncates toward zero, -> bool is x != 0).
// Backward: between floating dtypes the gradient is cast back (the engine does it when it
// conforms the gradient to the input); casts to integer or bool types carry no gradient.
#include "ops/prim/common.h"

namespace lathe {

Tensor cast(const Tensor& x, DType dtype) {
  Tensor y = kernel::empty(x.shape(), dtype, x.device());
  kernel::copy("cast", x, y);
  record("cast", {x}, {y}, {}, [](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad()};
  });
  return y;
}

LATHE_REGISTER_OPS(cast) {
  registry.add(OpDef("cast", "prim")
                   .summary("converts to another dtype (f32 f64 i32 i64 bool f16 bf16)")
                   .input("x", Kind::any)
                   .attr("dtype", "f32", "f32 | f64 | i32 | i64 | bool | f16 | bf16")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{cast(c.in("x"), parse_dtype(c.s("dtype")))};
                   }));
}

}  // namespace lathe
