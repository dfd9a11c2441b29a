// argmax / argmin along one axis: the i64 index of the first maximum (minimum); NaN counts as
// the extreme, as in PyTorch. Not differentiable.
#include "ops/prim/common.h"

namespace lathe {

namespace {
Tensor arg_extreme(const char* op, lathe_reduce_op k, const Tensor& x, int64_t axis,
                   bool keepdim) {
  int ax = normalize_axis(axis, x.dim(), op);
  if (x.dim() == 0) return zeros({}, DType::i64, x.device());
  LATHE_CHECK(x.shape()[ax] > 0, "[", op, "] cannot reduce axis ", axis, " of size 0 (shape ",
              x.shape(), ")");
  uint32_t mask = 1u << ax;
  Tensor y = reduce_kernel(op, k, x, mask, DType::i64);
  return keepdim ? y : drop_axes(y, mask);
}

OpDef arg_def(const char* name, const char* summary,
              Tensor (*fn)(const Tensor&, int64_t, bool)) {
  return OpDef(name, "prim")
      .summary(summary)
      .input("x", Kind::any)
      .attr("axis", -1, "axis searched")
      .attr("keepdim", false, "keep the reduced axis as size 1")
      .output("y", Kind::integer)
      .run([fn](const OpCall& c) { return Outputs{fn(c.in("x"), c.i("axis"), c.b("keepdim"))}; });
}
}  // namespace

Tensor argmax(const Tensor& x, int64_t axis, bool keepdim) {
  return arg_extreme("argmax", LATHE_REDUCE_ARGMAX, x, axis, keepdim);
}

Tensor argmin(const Tensor& x, int64_t axis, bool keepdim) {
  return arg_extreme("argmin", LATHE_REDUCE_ARGMIN, x, axis, keepdim);
}

LATHE_REGISTER_OPS(argmax) {
  registry.add(arg_def("argmax", "index of the first maximum along an axis", argmax));
  registry.add(arg_def("argmin", "index of the first minimum along an axis", argmin));
}

}  // namespace lathe
