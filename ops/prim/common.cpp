#include "ops/prim/common.h"

namespace lathe {

OpDef unary_def(const char* name, const char* summary, Tensor (*fn)(const Tensor&)) {
  return OpDef(name, "prim").summary(summary).input("x").output("y").run(
      [fn](const OpCall& c) { return Outputs{fn(c.in("x"))}; });
}

OpDef binary_def(const char* name, const char* summary,
                 Tensor (*fn)(const Tensor&, const Tensor&), Kind kind) {
  Kind out = kind == Kind::floating ? Kind::floating : Kind::boolean;
  return OpDef(name, "prim").summary(summary).input("a", kind).input("b", kind).output("y", out).run(
      [fn](const OpCall& c) { return Outputs{fn(c.in("a"), c.in("b"))}; });
}

Shape keepdim_shape(const Shape& shape, uint32_t mask) {
  Shape out = shape;
  for (int i = 0; i < shape.size(); ++i)
    if (mask & (1u << i)) out[i] = 1;
  return out;
}

}  // namespace lathe

namespace lathe {

Tensor scalar_like(double value, const Tensor& like) {
  // An integer tensor meets a fractional scalar in f32, as in PyTorch's type promotion.
  bool integral_value = value == static_cast<double>(static_cast<int64_t>(value));
  DType t = is_floating(like.dtype()) || integral_value ? like.dtype() : DType::f32;
  if (t == DType::boolean && value != 0 && value != 1) t = DType::f32;
  Tensor s = kernel::empty({}, t, like.device());
  kernel::fill("scalar", s, value);
  return s;
}

}  // namespace lathe

namespace lathe {

Tensor reduce_kernel(const char* op, lathe_reduce_op k, const Tensor& x, uint32_t mask,
                     DType out_dtype) {
  const Backend& be = backend(x.device());
  Tensor y = kernel::empty(keepdim_shape(x.shape(), mask), out_dtype, x.device());
  lathe_view vx = view_of(x), vy = view_of(y);
  be.check(be.fn().reduce(x.device().index, k, &vx, &vy, mask), op);
  return y;
}

Tensor drop_axes(const Tensor& y, uint32_t mask) {
  Shape out;
  for (int i = 0; i < y.dim(); ++i)
    if (!(mask & (1u << i))) out.push_back(y.shape()[i]);
  return make_view(y, out, contiguous_strides(out), y.offset());
}

OpDef reduction_def(const char* name, const char* summary,
                    Tensor (*fn)(const Tensor&, const Axes&, bool), Kind kind,
                    const char* family) {
  return OpDef(name, family)
      .summary(summary)
      .input("x", kind)
      .attr("axes", std::vector<int64_t>{}, "axes to reduce; empty = all")
      .attr("keepdim", false, "keep the reduced axes as size 1")
      .output("y", kind == Kind::floating ? Kind::floating : Kind::any)
      .run([fn](const OpCall& c) { return Outputs{fn(c.in("x"), c.ints("axes"), c.b("keepdim"))}; });
}

}  // namespace lathe
