// log_softmax: y = (x - m) - log(sum(exp(x - m))) along an axis, m = max(x) held constant.
// Subtracting m before the log keeps f32 results accurate for large logits (x - logsumexp(x)
// would round logsumexp at the magnitude of m); never log(softmax(x)), which underflows.
// log_softmax_backward: dx = g - exp(y) * sum(g), the gradient given y and the incoming g.
//
// Fused ops (optional, like softmax's): "log_softmax": in x, out y, attrs {axis};
// "log_softmax_backward": in g, y, out dx, attrs {axis}.
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor log_softmax_composite(const Tensor& x, int64_t axis) {
  Tensor shifted = x - max(x.detach(), {axis}, true);
  return shifted - log(sum(exp(shifted), {axis}, true));
}

Tensor log_softmax_backward_composite(const Tensor& g, const Tensor& y, int64_t axis) {
  return g - exp(y) * sum(g, {axis}, true);
}
}  // namespace

Tensor log_softmax(const Tensor& x, int64_t axis) {
  check_floating("log_softmax", x);
  int ax = normalize_axis(axis, x.dim(), "log_softmax");
  // The rule needs only y: x is not kept alive for it.
  FusedKernel k{"log_softmax", {x}, {{x.shape(), x.dtype()}}, {double(ax)}, -1, false};
  auto composite = [ax](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{log_softmax_composite(in[0], ax)};
  };
  auto rule = [ax](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                   const std::vector<Tensor>& out) {
    return std::vector<Tensor>{log_softmax_backward(g[0], out[0], ax)};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

Tensor log_softmax_backward(const Tensor& g, const Tensor& y, int64_t axis) {
  check_floating("log_softmax_backward", g);
  LATHE_CHECK(g.shape() == y.shape() && g.dtype() == y.dtype(), "[log_softmax_backward] g ",
              g.shape(), " ", g.dtype(), " and y ", y.shape(), " ", y.dtype(), " must match");
  int ax = normalize_axis(axis, y.dim(), "log_softmax_backward");
  FusedKernel k{"log_softmax_backward", {g, y}, {{y.shape(), y.dtype()}}, {double(ax)}};
  return fused_or_composite(k, true, [ax](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{log_softmax_backward_composite(in[0], in[1], ax)};
  })[0];
}

LATHE_REGISTER_OPS(log_softmax) {
  registry.add(OpDef("log_softmax", "nn")
                   .summary("x - logsumexp(x) along an axis")
                   .input("x")
                   .attr("axis", -1, "axis normalized over")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{log_softmax(c.in("x"), c.i("axis"))};
                   }));
  registry.add(OpDef("log_softmax_backward", "nn")
                   .summary("log_softmax's gradient: g - exp(y) * sum(g) along an axis")
                   .input("g")
                   .input("y")
                   .attr("axis", -1, "axis normalized over")
                   .output("dx")
                   .run([](const OpCall& c) {
                     return Outputs{log_softmax_backward(c.in("g"), c.in("y"), c.i("axis"))};
                   }));
}

}  // namespace lathe
