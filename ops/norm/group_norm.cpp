// group_norm: torch.nn.functional.group_norm on x [N, C, *]: the C channels split into G groups;
// per (n, group), over the group's channels and every spatial position,
//   y = (x - mean) / sqrt(var + eps) * w + b   (var biased; w, b [C] optional).
// Paper: "Group Normalization" (Wu, He, ECCV 2018). Semantics and defaults of PyTorch 1.13
// (eps 1e-5; C must be divisible by G). Train and eval agree.
// Composite: autograd.
#include "ops/norm/common.h"

namespace lathe {

Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias,
                  double eps) {
  const char* op = "group_norm";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 2, "[group_norm] expected x [N, C, *], got ", x.shape());
  int64_t c = x.shape()[1];
  LATHE_CHECK(groups >= 1 && c % groups == 0, "[group_norm] ", c, " channels cannot be split into ",
              groups, " equal groups");
  check_optional_shape(op, "weight", weight, {c});
  check_optional_shape(op, "bias", bias, {c});
  LATHE_CHECK(eps >= 0, "[group_norm] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Tensor xg = reshape(norms::as_dtype(x, sd), {x.shape()[0], groups, -1});  // [N, G, C / G * S]
  Tensor d = xg - mean(xg, {2}, true);
  Tensor y = reshape(d * rsqrt(mean(d * d, {2}, true) + eps), x.shape());  // [N, C, *]
  Shape keep = Shape::filled(x.dim(), 1);
  keep[1] = c;
  if (weight.defined()) y = y * reshape(norms::as_dtype(weight, sd), keep);
  if (bias.defined()) y = y + reshape(norms::as_dtype(bias, sd), keep);
  return norms::as_dtype(y, x.dtype());
}

LATHE_REGISTER_OPS(group_norm) {
  registry.add(OpDef("group_norm", "normalization")
                   .summary("group normalization (torch.nn.functional.group_norm)")
                   .paper("Group Normalization (Wu, He, 2018)")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .input("bias", Kind::floating, kOptional)
                   .attr("groups", 1, "channel groups; must divide C")
                   .attr("eps", 1e-5, "added to the group variance")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{group_norm(c.in("x"), c.i("groups"), c.in("weight"),
                                               c.in("bias"), c.f("eps"))};
                   }));
}

}  // namespace lathe
