// conv_forward, conv_backward_data, conv_backward_weights (ops/nn/conv_grad.h): the convolution
// split into the three kernels oneDNN and cuDNN offer, each a fused kernel with a composite of
// public ops as its fallback and reference (DESIGN rule 3).
//
// Fused kernels (backends/fused_ops.def), attrs shared by all three, d spatial dims:
//   {groups, stride[d], dilation[d] (1 = dense), pad_lo[d], pad_hi[d]}
//   "conv_forward":          in x [N, C, *S], weight [O, C/G, *K]  -> y [N, O, *out]
//   "conv_backward_data":    in gy [N, O, *out], weight [O, C/G, *K] -> gx [N, C, *S]
//   "conv_backward_weights": in x [N, C, *S], gy [N, O, *out]     -> gw [O, C/G, *K]
// out = (S + lo + hi - dilation (K - 1) - 1) / stride + 1; every input shares one dtype.
//
// When fused, each records a rule written with the other two (the three are bilinear: the
// gradient of one is the other two), so conv_transpose's backward and every higher order stay
// on the fused kernels; unfused, autograd differentiates the composite. Composites:
//   forward:  zero pad, then im2col + one batched GEMM (conv_padded, ops/nn/conv.cpp).
//   data:     the transposed convolution: stride - 1 zeros between gy's samples, padded by
//             dilation (K - 1) - lo before and so that the result spans S after, then a stride-1
//             convolution with the flipped, channel-swapped weight.
//   weights:  the GEMM of gy [N, G, O/G, L] with the im2col columns [N, G, C/G K, L] of the
//             padded x, summed over the batch.
#include "ops/nn/conv_grad.h"

#include "ops/composite.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

int spatial_dims(const ConvGeometry& g) { return static_cast<int>(g.stride.size()); }

std::vector<double> kernel_attrs(const ConvGeometry& g) {
  std::vector<double> a{static_cast<double>(g.groups)};
  for (int64_t s : g.stride) a.push_back(static_cast<double>(s));
  for (int64_t s : g.dilation) a.push_back(static_cast<double>(s));
  for (const auto& p : g.padding) a.push_back(static_cast<double>(p.first));
  for (const auto& p : g.padding) a.push_back(static_cast<double>(p.second));
  return a;
}

// x [N, C, *S] zero padded: [N, C, *P].
Tensor pad_input(const Tensor& x, const ConvGeometry& g) {
  std::vector<int64_t> fpad;  // F.pad order: the last dim's pair first
  bool any = false;
  for (int i = spatial_dims(g) - 1; i >= 0; --i) {
    fpad.push_back(g.padding[i].first);
    fpad.push_back(g.padding[i].second);
    any = any || g.padding[i].first > 0 || g.padding[i].second > 0;
  }
  return any ? pad(x, fpad) : x;
}

Tensor forward_composite(const Tensor& x, const Tensor& w, const ConvGeometry& g) {
  return conv_padded("conv_forward", pad_input(x, g), w, g.stride, g.dilation, g.groups);
}

Tensor backward_data_composite(const Tensor& gy, const Tensor& w, const ConvGeometry& g,
                               const Shape& x_shape) {
  Tensor z = gy;  // [N, O, *out]
  for (int i = 0; i < spatial_dims(g); ++i) {
    int64_t span = g.dilation[i] * (w.shape()[2 + i] - 1) + 1;
    int64_t lo = g.padding[i].first, hi = g.padding[i].second;
    int64_t padded = x_shape[2 + i] + lo + hi;
    int64_t covered = (gy.shape()[2 + i] - 1) * g.stride[i] + span;  // the rest never read
    z = spread(z, 2 + i, g.stride[i]);
    z = pad_or_crop(z, 2 + i, span - 1 - lo, span - 1 + padded - covered - hi);
  }
  std::vector<int64_t> ones(spatial_dims(g), 1);
  return conv_padded("conv_backward_data", z, flipped_transposed_weight(w, g.groups), ones,
                     g.dilation, g.groups);  // [N, C, *S]
}

Tensor backward_weights_composite(const Tensor& x, const Tensor& gy, const ConvGeometry& g,
                                  const Shape& w_shape) {
  int d = spatial_dims(g);
  int64_t n = x.shape()[0], c = x.shape()[1], o = gy.shape()[1], taps = 1, positions = 1;
  std::vector<int64_t> kernel(w_shape.begin() + 2, w_shape.end());
  std::vector<int64_t> out(gy.shape().begin() + 2, gy.shape().end());
  for (int i = 0; i < d; ++i) {
    taps *= kernel[i];
    positions *= out[i];
  }
  std::vector<Tensor> cols = windows(pad_input(x, g), kernel, g.stride, g.dilation, out);
  Tensor col = reshape(stack(cols, 2), {n, g.groups, c / g.groups * taps, positions});
  Tensor gyg = reshape(gy, {n, g.groups, o / g.groups, positions});
  Tensor gw = sum(matmul(gyg, transpose(col, 2, 3)), {0});  // [G, O/G, C/G K]
  return reshape(gw, w_shape);
}

}  // namespace

Tensor conv_forward(const Tensor& x, const Tensor& weight, const ConvGeometry& g) {
  int d = spatial_dims(g);
  Shape y_shape{x.shape()[0], weight.shape()[0]};
  for (int i = 0; i < d; ++i) {
    int64_t span = g.dilation[i] * (weight.shape()[2 + i] - 1) + 1;
    int64_t padded = x.shape()[2 + i] + g.padding[i].first + g.padding[i].second;
    LATHE_CHECK(padded >= span, "[conv_forward] kernel ", weight.shape(), " (dilated extent ",
                span, " along spatial dim ", i, ") is larger than the padded input (", padded,
                ")");
    y_shape.push_back((padded - span) / g.stride[i] + 1);
  }
  FusedKernel k{"conv_forward", {x, weight}, {{y_shape, float_result(x, weight)}},
                kernel_attrs(g)};
  auto composite = [g](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{forward_composite(in[0], in[1], g)};
  };
  auto rule = [g](const std::vector<Tensor>& gy, const std::vector<Tensor>& in,
                  const std::vector<Tensor>&) {
    // Only the gradients asked for: the first layer's input needs none.
    Tensor gx = in[0].requires_grad() ? conv_backward_data(gy[0], in[1], g, in[0].shape())
                                      : Tensor();
    Tensor gw = in[1].requires_grad() ? conv_backward_weights(in[0], gy[0], g, in[1].shape())
                                      : Tensor();
    return std::vector<Tensor>{gx, gw};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

Tensor conv_backward_data(const Tensor& gy, const Tensor& weight, const ConvGeometry& g,
                          const Shape& x_shape) {
  FusedKernel k{"conv_backward_data", {gy, weight}, {{x_shape, float_result(gy, weight)}},
                kernel_attrs(g)};
  auto composite = [g, x_shape](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{backward_data_composite(in[0], in[1], g, x_shape)};
  };
  // gx = A_w^T gy for the conv operator A_w, so <ggx, gx> = <A_w ggx, gy>.
  auto rule = [g](const std::vector<Tensor>& ggx, const std::vector<Tensor>& in,
                  const std::vector<Tensor>&) {
    Tensor ggy = in[0].requires_grad() ? conv_forward(ggx[0], in[1], g) : Tensor();
    Tensor gw = in[1].requires_grad() ? conv_backward_weights(ggx[0], in[0], g, in[1].shape())
                                      : Tensor();
    return std::vector<Tensor>{ggy, gw};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

Tensor conv_backward_weights(const Tensor& x, const Tensor& gy, const ConvGeometry& g,
                             const Shape& weight_shape) {
  FusedKernel k{"conv_backward_weights", {x, gy}, {{weight_shape, float_result(x, gy)}},
                kernel_attrs(g)};
  auto composite = [g, weight_shape](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{backward_weights_composite(in[0], in[1], g, weight_shape)};
  };
  // gw is bilinear in (x, gy): <ggw, gw> = <conv(x, ggw), gy>.
  auto rule = [g](const std::vector<Tensor>& ggw, const std::vector<Tensor>& in,
                  const std::vector<Tensor>&) {
    Tensor gx = in[0].requires_grad() ? conv_backward_data(in[1], ggw[0], g, in[0].shape())
                                      : Tensor();
    Tensor ggy = in[1].requires_grad() ? conv_forward(in[0], ggw[0], g) : Tensor();
    return std::vector<Tensor>{gx, ggy};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

}  // namespace lathe
