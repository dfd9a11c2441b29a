// conv1d / conv2d / conv3d: y[n, o, p] = b[o] + sum_{c in group(o), k} w[o, c, k] *
// xpad[n, c, p * stride + k * dilation], torch.nn.functional.conv{1,2,3}d (cross-correlation).
// x [N, C, *S] (or [C, *S]), weight [O, C / groups, *K], bias [O] optional; out extent per dim
// (S + lo + hi - dilation (K - 1) - 1) / stride + 1.
//
// How it is split (the decision): a composite of public ops, im2col by strided views plus one
// batched GEMM. pad -> K strided slices of the padded input (the windows, ops/nn/window.cpp) ->
// stack [N, C, K, L] -> reshape [N, G, C/G K, L] -> matmul with weight [G, O/G, C/G K] ->
// [N, O, *out]. Autograd then gives the textbook rules in public ops: grad input is a
// transposed convolution (matmul^T, then the slices scatter-add back: col2im), grad weight is
// the GEMM of grad output with the columns (a convolution of input and grad output), and
// double backward comes for free because every piece is differentiable. One code path serves
// every backend (the GEMM is the backend's matmul: oneDNN / OpenBLAS on cpu, cuBLAS on
// cuda). conv1d/2d/3d go through conv_forward (ops/nn/conv_grad.cpp), which a backend may
// fuse (the cpu backend: oneDNN, f32) with this composite as its fallback and reference.
// Cost: the columns hold K copies of the input (im2col's usual price). At stride 1 over 2+
// dims the windows are "wide" (one contiguous run of the flattened input per tap, the
// wrapped columns cut from the result), so the backward scatters once per tap, not per tap
// and dim.
#include <algorithm>

#include "ops/composite.h"
#include "ops/nn/conv.h"
#include "ops/nn/conv_grad.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

// (lo, hi) padding per spatial dim, first spatial dim first, from the options.
std::vector<std::pair<int64_t, int64_t>> resolve_padding(const char* op, const ConvOptions& o,
                                                         int d,
                                                         const std::vector<int64_t>& kernel,
                                                         const std::vector<int64_t>& stride,
                                                         const std::vector<int64_t>& dilation) {
  std::vector<std::pair<int64_t, int64_t>> pads(d, {0, 0});
  if (o.auto_pad == "valid") return pads;
  if (o.auto_pad == "same") {
    for (int i = 0; i < d; ++i) {
      LATHE_CHECK(stride[i] == 1, "[", op, "] auto_pad 'same' needs stride 1, got stride ",
                  shape_text(stride));
      int64_t total = dilation[i] * (kernel[i] - 1);
      pads[i] = {total / 2, total - total / 2};
    }
    return pads;
  }
  LATHE_CHECK(o.auto_pad.empty(), "[", op, "] auto_pad must be '', 'same' or 'valid', got '",
              o.auto_pad, "'");
  for (int64_t p : o.padding)
    LATHE_CHECK(p >= 0, "[", op, "] padding must be >= 0, got ", shape_text(o.padding));
  if (static_cast<int>(o.padding.size()) == 2 * d) {
    for (int i = 0; i < d; ++i)  // F.pad order: the last dim's pair comes first
      pads[i] = {o.padding[2 * (d - 1 - i)], o.padding[2 * (d - 1 - i) + 1]};
    return pads;
  }
  LATHE_CHECK(o.padding.size() == 1 || static_cast<int>(o.padding.size()) == d, "[", op,
              "] padding takes 1, ", d, " or ", 2 * d, " values, got ", shape_text(o.padding));
  std::vector<int64_t> p = per_dim(op, "padding", o.padding, d, 0);
  for (int i = 0; i < d; ++i) pads[i] = {p[i], p[i]};
  return pads;
}

}  // namespace

Tensor conv_padded(const char* op, const Tensor& xp, const Tensor& weight,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& dilation,
                   int64_t groups) {
  int d = xp.dim() - 2;
  int64_t n = xp.shape()[0], c = xp.shape()[1], o = weight.shape()[0];
  std::vector<int64_t> kernel(weight.shape().begin() + 2, weight.shape().end());
  std::vector<int64_t> out(d), padded(xp.shape().begin() + 2, xp.shape().end());
  int64_t taps = 1, positions = 1;
  for (int i = 0; i < d; ++i) {
    int64_t span = dilation[i] * (kernel[i] - 1) + 1;
    LATHE_CHECK(padded[i] >= span, "[", op, "] kernel ", shape_text(kernel), " (dilated extent ",
                span, " along spatial dim ", i, ") is larger than the padded input ",
                shape_text(padded));
    out[i] = (padded[i] - span) / stride[i] + 1;
    taps *= kernel[i];
    positions *= out[i];
  }
  Tensor w = reshape(weight, {groups, o / groups, c / groups * taps});  // [G, O/G, C/G K]
  bool unit_stride = std::all_of(stride.begin(), stride.end(), [](int64_t s) { return s == 1; });
  if (d == 1 || !unit_stride) {
    std::vector<Tensor> cols = windows(xp, kernel, stride, dilation, out);  // K x [N, C, *out]
    Tensor col = reshape(stack(cols, 2), {n, groups, c / groups * taps, positions});
    Tensor y = matmul(w, col);  // [N, G, O/G, L]
    Shape y_shape{n, o};
    for (int64_t e : out) y_shape.push_back(e);
    return reshape(y, y_shape);  // [N, O, *out]
  }
  // Stride 1 over 2+ dims: "wide" windows. On the flattened padded input every window is one
  // contiguous run of out_0 * P_1 * ... positions starting at its tap's flat offset; the
  // columns past out_i in the inner dims wrap into the next row and are cut from the result.
  // One slice per tap instead of one per tap and dim halves the backward's scatters.
  std::vector<int64_t> dim_stride(d, 1);  // flat distance between neighbours along dim i
  for (int i = d - 2; i >= 0; --i) dim_stride[i] = dim_stride[i + 1] * padded[i + 1];
  int64_t flat = dim_stride[0] * padded[0], wide = out[0] * dim_stride[0], last = 0;
  for (int i = 0; i < d; ++i) last += (kernel[i] - 1) * dilation[i] * dim_stride[i];
  Tensor xf = reshape(xp, {n, c, flat});  // [N, C, P]
  if (last + wide > flat) xf = pad(xf, {0, last + wide - flat});
  std::vector<Tensor> cols;
  cols.reserve(taps);
  for (int64_t t = 0; t < taps; ++t) {
    int64_t rest = t, offset = 0;
    for (int i = d - 1; i >= 0; --i) {
      offset += (rest % kernel[i]) * dilation[i] * dim_stride[i];
      rest /= kernel[i];
    }
    cols.push_back(slice(xf, 2, offset, offset + wide));  // [N, C, Lw]
  }
  Tensor col = reshape(stack(cols, 2), {n, groups, c / groups * taps, wide});
  Tensor y = matmul(w, col);  // [N, G, O/G, Lw]
  Shape y_shape{n, o, out[0]};
  for (int i = 1; i < d; ++i) y_shape.push_back(padded[i]);
  y = reshape(y, y_shape);  // [N, O, out_0, P_1, ...]
  for (int i = 1; i < d; ++i) y = slice(y, 2 + i, 0, out[i]);
  return y;  // [N, O, *out]
}

void check_groups(const char* op, const Tensor& x, const Tensor& weight, int64_t groups,
                  int64_t in_channels_per_group, int64_t out_channels) {
  LATHE_CHECK(groups >= 1, "[", op, "] groups must be >= 1, got ", groups);
  int64_t c = x.shape()[1];
  LATHE_CHECK(c % groups == 0 && out_channels % groups == 0, "[", op, "] groups ", groups,
              " must divide the input channels ", c, " and the output channels ", out_channels,
              " (input ", x.shape(), ", weight ", weight.shape(), ")");
  LATHE_CHECK(in_channels_per_group == c / groups, "[", op, "] weight ", weight.shape(),
              " expects ", in_channels_per_group * groups, " input channels with groups ",
              groups, ", input ", x.shape(), " has ", c);
}

Tensor add_channel_bias(const char* op, const Tensor& y, const Tensor& bias) {
  if (!bias.defined()) return y;
  check_floating(op, "bias", bias);
  check_shape(op, "bias", bias, {y.shape()[1]});
  Shape b_shape = Shape::filled(y.dim(), 1);
  b_shape[1] = y.shape()[1];
  return y + reshape(bias, b_shape);
}

namespace {

Tensor conv_nd(const char* op, int d, const Tensor& input, const Tensor& weight,
               const Tensor& bias, const ConvOptions& o) {
  Tensor x = batched_input(op, input, d);
  check_floating(op, "weight", weight);
  LATHE_CHECK(weight.dim() == d + 2, "[", op, "] weight must be [C_out, C_in / groups, *kernel] (",
              d + 2, " dims), got ", weight.shape());
  check_groups(op, x, weight, o.groups, weight.shape()[1], weight.shape()[0]);
  std::vector<int64_t> kernel(weight.shape().begin() + 2, weight.shape().end());
  std::vector<int64_t> stride = per_dim(op, "stride", o.stride, d, 1);
  std::vector<int64_t> dilation = per_dim(op, "dilation", o.dilation, d, 1);
  ConvGeometry g{stride, dilation, resolve_padding(op, o, d, kernel, stride, dilation),
                 o.groups};
  std::vector<int64_t> padded(d);
  for (int i = 0; i < d; ++i)
    padded[i] = x.shape()[2 + i] + g.padding[i].first + g.padding[i].second;
  for (int i = 0; i < d; ++i) {
    int64_t span = dilation[i] * (kernel[i] - 1) + 1;
    LATHE_CHECK(padded[i] >= span, "[", op, "] kernel ", shape_text(kernel), " (dilated extent ",
                span, " along spatial dim ", i, ") is larger than the padded input ",
                shape_text(padded));
  }
  Tensor y = add_channel_bias(op, conv_forward(x, weight, g), bias);  // [N, O, *out]
  return input.dim() == d + 1 ? squeeze(y, {0}) : y;
}

}  // namespace

Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvOptions& o) {
  return conv_nd("conv1d", 1, x, weight, bias, o);
}
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvOptions& o) {
  return conv_nd("conv2d", 2, x, weight, bias, o);
}
Tensor conv3d(const Tensor& x, const Tensor& weight, const Tensor& bias, const ConvOptions& o) {
  return conv_nd("conv3d", 3, x, weight, bias, o);
}

namespace {
OpDef conv_def(const char* name, const char* summary, Tensor (*fn)(const Tensor&, const Tensor&,
                                                                   const Tensor&,
                                                                   const ConvOptions&)) {
  return OpDef(name, "nn")
      .summary(summary)
      .input("x")
      .input("weight")
      .input("bias", Kind::floating, kOptional)
      .options<ConvOptions>()
      .attr("stride", &ConvOptions::stride, "one value or one per spatial dim, >= 1")
      .attr("padding", &ConvOptions::padding,
            "zeros added: one value, one per dim, or (lo, hi) per dim in F.pad order")
      .attr("auto_pad", &ConvOptions::auto_pad,
            "'same' (stride 1, extra one on the hi side), 'valid', or '' to use padding")
      .attr("dilation", &ConvOptions::dilation, "spacing of the kernel taps, >= 1")
      .attr("groups", &ConvOptions::groups, "channel groups; divides C_in and C_out")
      .output("y")
      .run(fn);
}
}  // namespace

LATHE_REGISTER_OPS(conv) {
  registry.add(conv_def("conv1d", "1-d cross-correlation of x [N, C, L] with weight [O, C/g, K]",
                        conv1d));
  registry.add(conv_def("conv2d",
                        "2-d cross-correlation of x [N, C, H, W] with weight [O, C/g, KH, KW]",
                        conv2d));
  registry.add(conv_def("conv3d",
                        "3-d cross-correlation of x [N, C, D, H, W] with weight [O, C/g, *K]",
                        conv3d));
}

}  // namespace lathe
