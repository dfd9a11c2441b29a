// conv_transpose1d / conv_transpose2d: the adjoint of conv with respect to its input, as
// torch.nn.functional.conv_transpose{1,2}d: every x[n, c, p] adds x * w[c, o, k] to
// y[n, o, p * stride + k * dilation - padding]. x [N, C_in, *S] (or [C_in, *S]), weight
// [C_in, C_out / groups, *K], bias [C_out] optional; out extent per dim
// (S - 1) stride - 2 padding + dilation (K - 1) + output_padding + 1.
//
// Composite, the textbook identity: insert stride - 1 zeros between the input's samples, pad
// each side by dilation (K - 1) - padding (plus output_padding on the hi side; a negative
// amount crops), and run a stride-1 conv (ops/nn/conv.cpp) with the weight's in/out channels
// swapped per group and its taps flipped. Autograd derives the backward (a strided conv for the
// input, as it should be) and the double backward from the same public ops. Cost: the zeros
// cost stride^d times the work of a direct kernel. So when output_padding < stride (always, but
// for the rare output_padding justified by the dilation alone) it runs as conv_backward_data
// (ops/nn/conv_grad.cpp: the same composite, or a backend's fused kernel, oneDNN on cpu f32).
#include "ops/composite.h"
#include "ops/nn/conv.h"
#include "ops/nn/conv_grad.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

Tensor conv_transpose_nd(const char* op, int d, const Tensor& input, const Tensor& weight,
                         const Tensor& bias, const ConvTransposeOptions& o) {
  Tensor x = batched_input(op, input, d);  // [N, C_in, *S]
  check_floating(op, "weight", weight);
  LATHE_CHECK(weight.dim() == d + 2, "[", op,
              "] weight must be [C_in, C_out / groups, *kernel] (", d + 2, " dims), got ",
              weight.shape());
  int64_t g = o.groups;
  LATHE_CHECK(g >= 1, "[", op, "] groups must be >= 1, got ", g);
  LATHE_CHECK(weight.shape()[0] == x.shape()[1], "[", op, "] weight ", weight.shape(),
              " expects ", weight.shape()[0], " input channels, input ", x.shape(), " has ",
              x.shape()[1]);
  int64_t c_in = x.shape()[1], c_out = weight.shape()[1] * g;
  check_groups(op, x, weight, g, c_in / g, c_out);
  std::vector<int64_t> kernel(weight.shape().begin() + 2, weight.shape().end());
  std::vector<int64_t> stride = per_dim(op, "stride", o.stride, d, 1);
  std::vector<int64_t> padding = per_dim(op, "padding", o.padding, d, 0);
  std::vector<int64_t> out_pad = per_dim(op, "output_padding", o.output_padding, d, 0);
  std::vector<int64_t> dilation = per_dim(op, "dilation", o.dilation, d, 1);
  Shape y_shape{x.shape()[0], c_out};
  bool below_stride = true;
  for (int i = 0; i < d; ++i) {
    LATHE_CHECK(out_pad[i] < stride[i] || out_pad[i] < dilation[i], "[", op,
                "] output_padding ", shape_text(out_pad), " must be smaller than the stride ",
                shape_text(stride), " or the dilation ", shape_text(dilation));
    int64_t span = dilation[i] * (kernel[i] - 1);
    int64_t extent = (x.shape()[2 + i] - 1) * stride[i] - 2 * padding[i] + span + out_pad[i] + 1;
    LATHE_CHECK(extent > 0, "[", op, "] padding ", shape_text(padding), " leaves no output for ",
                "input ", x.shape(), " and kernel ", shape_text(kernel));
    y_shape.push_back(extent);
    below_stride = below_stride && out_pad[i] < stride[i];
  }
  if (below_stride) {
    // x is the output gradient of the conv of a y_shape input padded by `padding` (an
    // output_padding below the stride only adds hi rows that conv never reads), so a fused
    // conv_backward_data kernel can compute it.
    std::vector<std::pair<int64_t, int64_t>> pads;
    for (int64_t p : padding) pads.push_back({p, p});
    Tensor y = conv_backward_data(x, weight, ConvGeometry{stride, dilation, pads, g}, y_shape);
    y = add_channel_bias(op, y, bias);
    return input.dim() == d + 1 ? squeeze(y, {0}) : y;
  }
  Tensor z = x;
  for (int i = 0; i < d; ++i) {
    int64_t span = dilation[i] * (kernel[i] - 1);
    z = spread(z, 2 + i, stride[i]);
    z = pad_or_crop(z, 2 + i, span - padding[i], span - padding[i] + out_pad[i]);
  }
  Tensor w = flipped_transposed_weight(weight, g);  // [C_out, C_in/G, *K], taps flipped
  std::vector<int64_t> ones(d, 1);
  Tensor y = add_channel_bias(op, conv_padded(op, z, w, ones, dilation, g), bias);
  return input.dim() == d + 1 ? squeeze(y, {0}) : y;
}

}  // namespace

Tensor conv_transpose1d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        const ConvTransposeOptions& o) {
  return conv_transpose_nd("conv_transpose1d", 1, x, weight, bias, o);
}
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        const ConvTransposeOptions& o) {
  return conv_transpose_nd("conv_transpose2d", 2, x, weight, bias, o);
}

namespace {
OpDef conv_transpose_def(const char* name, const char* summary,
                         Tensor (*fn)(const Tensor&, const Tensor&, const Tensor&,
                                      const ConvTransposeOptions&)) {
  using O = ConvTransposeOptions;
  return OpDef(name, "nn")
      .summary(summary)
      .input("x")
      .input("weight")
      .input("bias", Kind::floating, kOptional)
      .options<O>()
      .attr("stride", &O::stride, "one value or one per spatial dim, >= 1")
      .attr("padding", &O::padding, "removed from both sides of each dim of the output, >= 0")
      .attr("output_padding", &O::output_padding,
            "added to the hi side of each dim; smaller than stride or dilation")
      .attr("groups", &O::groups, "channel groups; divides C_in and C_out")
      .attr("dilation", &O::dilation, "spacing of the kernel taps, >= 1")
      .output("y")
      .run(fn);
}
}  // namespace

LATHE_REGISTER_OPS(conv_transpose) {
  registry.add(conv_transpose_def(
      "conv_transpose1d", "transposed 1-d convolution, weight [C_in, C_out/g, K]",
      conv_transpose1d));
  registry.add(conv_transpose_def(
      "conv_transpose2d", "transposed 2-d convolution, weight [C_in, C_out/g, KH, KW]",
      conv_transpose2d));
}

}  // namespace lathe
