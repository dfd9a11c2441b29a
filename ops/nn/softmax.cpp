// softmax: y = exp(x - m) / sum(exp(x - m)) along an axis, m = max(x) held constant (the shift
// cancels in the ratio, so the gradient is unaffected).
// softmax_backward: dx = y * (g - sum(g * y)), the gradient given y and the incoming g.
//
// A backend may fuse either (fused ops "softmax": in x, out y, attrs {axis};
// "softmax_backward": in g, y, out dx, attrs {axis}; axis normalized). Then softmax records
// softmax_backward as its rule, and softmax_backward's own backward differentiates the
// composite (only higher-order gradients reach it). Without fused kernels both are composites.
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor softmax_composite(const Tensor& x, int64_t axis) {
  Tensor e = exp(x - max(x.detach(), {axis}, true));
  return e / sum(e, {axis}, true);
}

Tensor softmax_backward_composite(const Tensor& g, const Tensor& y, int64_t axis) {
  return y * (g - sum(g * y, {axis}, true));
}
}  // namespace

Tensor softmax(const Tensor& x, int64_t axis) {
  check_floating("softmax", x);
  int ax = normalize_axis(axis, x.dim(), "softmax");
  // The rule needs only y: x is not kept alive for it.
  FusedKernel k{"softmax", {x}, {{x.shape(), x.dtype()}}, {double(ax)}, -1, false};
  auto composite = [ax](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{softmax_composite(in[0], ax)};
  };
  auto rule = [ax](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                   const std::vector<Tensor>& out) {
    return std::vector<Tensor>{softmax_backward(g[0], out[0], ax)};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

Tensor softmax_backward(const Tensor& g, const Tensor& y, int64_t axis) {
  check_floating("softmax_backward", g);
  LATHE_CHECK(g.shape() == y.shape() && g.dtype() == y.dtype(), "[softmax_backward] g ",
              g.shape(), " ", g.dtype(), " and y ", y.shape(), " ", y.dtype(), " must match");
  int ax = normalize_axis(axis, y.dim(), "softmax_backward");
  FusedKernel k{"softmax_backward", {g, y}, {{y.shape(), y.dtype()}}, {double(ax)}};
  return fused_or_composite(k, true, [ax](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{softmax_backward_composite(in[0], in[1], ax)};
  })[0];
}

LATHE_REGISTER_OPS(softmax) {
  registry.add(OpDef("softmax", "nn")
                   .summary("exp(x) / sum(exp(x)) along an axis")
                   .input("x")
                   .attr("axis", -1, "axis normalized over")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{softmax(c.in("x"), c.i("axis"))}; }));
  registry.add(OpDef("softmax_backward", "nn")
                   .summary("softmax's gradient: y * (g - sum(g * y)) along an axis")
                   .input("g")
                   .input("y")
                   .attr("axis", -1, "axis normalized over")
                   .output("dx")
                   .run([](const OpCall& c) {
                     return Outputs{softmax_backward(c.in("g"), c.in("y"), c.i("axis"))};
                   }));
}

}  // namespace lathe
