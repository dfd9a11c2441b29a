// rms_norm: over the last dim, y = x / sqrt(mean(x^2) + eps) * gamma (gamma optional).
// Paper: "Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient Pre-LN Transformers"
// (Jiang et al., NeurIPS 2023); RMSNorm is Zhang & Sennrich, "Root Mean Square Layer
// Normalization" (2019). Code: ZixuanJiang/pre-rmsnorm-transformer, torch/customized_layer.py
// (rms_norm(x.float(), eps).type_as(x): f16/bf16 inputs are normalized in f32 here too).
// Defaults: eps = 1e-5 (the reference classes subclass nn.LayerNorm), no gamma.
// Identity: for x with mean 0 over the last dim, rms_norm(x) == layer_norm(x).
// Composite: autograd gives dx = r (g - x_hat mean(g x_hat)), r = (mean x^2 + eps)^(-1/2).
//
// rms_norm_backward(g, x, weight, rstd): dx as above (g scaled by weight first) and dweight =
// sum over rows of g x_hat, given rstd [rows], rows = numel / D.
// Fused ops (optional, f32/f64, contiguous inputs): "rms_norm": in x, [weight]; out y,
// rstd [rows]; attrs {eps, D, has_weight}. "rms_norm_backward": in g, x, [weight], rstd; out dx,
// dweight [D]; attrs {D, has_weight}. Used as layer_norm uses its pair.
#include "ops/norm/common.h"

namespace lathe {

namespace {
std::vector<Tensor> backward_composite(const Tensor& g, const Tensor& x, const Tensor& weight,
                                       const Tensor& rstd) {
  Shape row = x.shape();
  row[row.size() - 1] = 1;
  Tensor r = reshape(rstd, row);                                              // [..., 1]
  Tensor x_hat = x * r;                                                       // [..., D]
  Tensor gw = weight.defined() ? g * weight : g;
  Tensor dx = r * (gw - x_hat * mean(gw * x_hat, {-1}, true));
  Axes lead;
  for (int i = 0; i + 1 < x.dim(); ++i) lead.push_back(i);
  Tensor dweight = lead.empty() ? g * x_hat : sum(g * x_hat, lead);          // [D]
  return {dx, dweight};
}
}  // namespace

std::vector<Tensor> rms_norm_backward(const Tensor& g, const Tensor& x, const Tensor& weight,
                                      const Tensor& rstd) {
  const char* op = "rms_norm_backward";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 1 && g.shape() == x.shape(), "[", op, "] g ", g.shape(),
              " must match x ", x.shape());
  int64_t d = x.shape().back(), rows = d ? x.numel() / d : 0;
  LATHE_CHECK(rstd.shape() == Shape{rows}, "[", op, "] rstd ", rstd.shape(), " must be [", rows,
              "]");
  check_optional_shape(op, "weight", weight, {d});
  bool fusable = (x.dtype() == DType::f32 || x.dtype() == DType::f64) && g.dtype() == x.dtype() &&
                 rstd.dtype() == x.dtype() && (!weight.defined() || weight.dtype() == x.dtype());
  FusedKernel kernel{op, {g, x, weight, rstd}, {{x.shape(), x.dtype()}, {{d}, x.dtype()}},
                     {double(d), double(weight.defined())}};
  return fused_or_composite(kernel, fusable, [](const std::vector<Tensor>& in) {
    return backward_composite(in[0], in[1], in[2], in[3]);
  });
}

Tensor rms_norm(const Tensor& x, const Tensor& weight, double eps) {
  check_floating("rms_norm", x);
  LATHE_CHECK(x.dim() >= 1, "[rms_norm] expected x [..., D], got a 0-d tensor");
  check_optional_shape("rms_norm", "weight", weight, {x.shape().back()});
  LATHE_CHECK(eps >= 0, "[rms_norm] eps must be >= 0, got ", eps);
  int64_t d = x.shape().back(), rows = d ? x.numel() / d : 0;
  bool fusable = (x.dtype() == DType::f32 || x.dtype() == DType::f64) &&
                 (!weight.defined() || weight.dtype() == x.dtype());
  FusedKernel kernel{"rms_norm", {x, weight}, {{x.shape(), x.dtype()}, {{rows}, x.dtype()}},
                     {eps, double(d), double(weight.defined())}, 1};
  auto composite = [eps](const std::vector<Tensor>& in) {
    const Tensor &x = in[0], &weight = in[1];
    DType sd = norms::stat_dtype(x);
    Tensor xs = norms::as_dtype(x, sd);
    Tensor y = xs * rsqrt(mean(xs * xs, {-1}, true) + eps);  // [..., D]
    if (weight.defined()) y = y * norms::as_dtype(weight, sd);
    return std::vector<Tensor>{norms::as_dtype(y, x.dtype())};
  };
  auto rule = [eps](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                    const std::vector<Tensor>& out) {
    Tensor x = in[0], rstd = out[1];
    if (is_grad_enabled())  // differentiable gradient: rstd with its history
      rstd = reshape(rsqrt(mean(x * x, {-1}, true) + eps), {-1});
    return rms_norm_backward(g[0], x, in[1], rstd);
  };
  return fused_or_composite(kernel, fusable, composite, rule)[0];
}

LATHE_REGISTER_OPS(rms_norm) {
  registry.add(OpDef("rms_norm", "normalization")
                   .summary("x / sqrt(mean(x^2) + eps) * weight over the last dim")
                   .paper("Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient "
                          "Pre-LN Transformers (Jiang et al., 2023)")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .attr("eps", 1e-5, "added to the mean square")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{rms_norm(c.in("x"), c.in("weight"), c.f("eps"))};
                   }));
  registry.add(OpDef("rms_norm_backward", "normalization")
                   .summary("rms_norm's gradients given the row rstd: dx, dweight")
                   .input("g")
                   .input("x")
                   .input("weight", Kind::floating, kOptional)
                   .input("rstd")
                   .output("dx")
                   .output("dweight")
                   .run([](const OpCall& c) {
                     return rms_norm_backward(c.in("g"), c.in("x"), c.in("weight"), c.in("rstd"));
                   }));
}

}  // namespace lathe
