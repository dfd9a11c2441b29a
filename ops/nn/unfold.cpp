// unfold (im2col) and fold (col2im), as torch.nn.functional's. With per-dim kernel k,
// dilation d, padding p, stride s, a dim of extent S has o = floor((S + 2p - d(k - 1) - 1) / s)
// + 1 window positions; L = oh * ow.
//   unfold: cols[n, c K + t, l] = xpad[n, c, s_h l_h + d_h t_h, s_w l_w + d_w t_w]
//   fold:   y = sum over (t, l) of cols[n, c K + t, l] placed at that same cell, then cropped by p
// unfold stacks the strided windows of ops/nn/window.h; fold places each tap's [oh, ow] block
// by spreading it by the stride and padding it to its offset, then sums the K blocks. Both are
// linear maps written in public ops, each the adjoint of the other, so autograd turns unfold's
// backward into a fold and fold's into an unfold, and double backward comes for free.
#include "ops/composite.h"
#include "ops/nn/resample.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

struct FoldGeometry {
  std::vector<int64_t> kernel, dilation, padding, stride, out;
};

// `extent` is the unpadded (H, W).
FoldGeometry fold_geometry(const char* op, const std::vector<int64_t>& extent,
                           const std::vector<int64_t>& kernel_size,
                           const std::vector<int64_t>& dilation,
                           const std::vector<int64_t>& padding,
                           const std::vector<int64_t>& stride) {
  FoldGeometry g;
  g.kernel = per_dim(op, "kernel_size", kernel_size, 2, 1);
  g.dilation = per_dim(op, "dilation", dilation, 2, 1);
  g.padding = per_dim(op, "padding", padding, 2, 0);
  g.stride = per_dim(op, "stride", stride, 2, 1);
  for (int i = 0; i < 2; ++i) {
    int64_t span = g.dilation[i] * (g.kernel[i] - 1) + 1, padded = extent[i] + 2 * g.padding[i];
    LATHE_CHECK(padded >= span, "[", op, "] kernel ", shape_text(g.kernel), " (dilated extent ",
                span, ") is larger than the padded input ", shape_text(extent), " + padding ",
                shape_text(g.padding));
    g.out.push_back((padded - span) / g.stride[i] + 1);
  }
  return g;
}

// F.pad order (last dim first) for symmetric spatial padding.
std::vector<int64_t> symmetric_pads(const std::vector<int64_t>& padding) {
  return {padding[1], padding[1], padding[0], padding[0]};
}

}  // namespace

Tensor unfold(const Tensor& input, const UnfoldOptions& o) {
  const char* op = "unfold";
  Tensor x = batched_input(op, input, 2);  // [N, C, H, W]
  int64_t n = x.shape()[0], c = x.shape()[1];
  FoldGeometry g = fold_geometry(op, {x.shape()[2], x.shape()[3]}, o.kernel_size, o.dilation,
                                 o.padding, o.stride);
  Tensor xp = pad(x, symmetric_pads(g.padding));  // [N, C, H + 2ph, W + 2pw]
  Tensor cols = stack(windows(xp, g.kernel, g.stride, g.dilation, g.out), 2);  // [N, C, K, oh, ow]
  int64_t taps = g.kernel[0] * g.kernel[1];
  cols = reshape(cols, {n, c * taps, g.out[0] * g.out[1]});  // [N, C K, L]
  return input.dim() == 3 ? squeeze(cols, {0}) : cols;
}

Tensor fold(const Tensor& input, const FoldOptions& o) {
  const char* op = "fold";
  check_floating(op, "cols", input);
  LATHE_CHECK(input.dim() == 3 || input.dim() == 2, "[", op,
              "] cols must be [N, C * kh * kw, L] or [C * kh * kw, L], got ", input.shape());
  Tensor cols = input.dim() == 2 ? unsqueeze(input, 0) : input;  // [N, C K, L]
  std::vector<int64_t> size = per_dim(op, "output_size", o.output_size, 2, 1);
  FoldGeometry g = fold_geometry(op, size, o.kernel_size, o.dilation, o.padding, o.stride);
  int64_t n = cols.shape()[0], ck = cols.shape()[1], positions = cols.shape()[2];
  int64_t taps = g.kernel[0] * g.kernel[1];
  LATHE_CHECK(ck % taps == 0, "[", op, "] cols ", input.shape(), ": dim ", input.dim() - 2,
              " must be divisible by the kernel's ", taps, " taps ", shape_text(g.kernel));
  LATHE_CHECK(positions == g.out[0] * g.out[1], "[", op, "] cols ", input.shape(), " has ",
              positions, " positions, but output_size ", shape_text(size), " with kernel ",
              shape_text(g.kernel), " gives ", shape_text(g.out), " = ", g.out[0] * g.out[1]);
  int64_t c = ck / taps;
  Tensor blocks = reshape(cols, {n, c, taps, g.out[0], g.out[1]});  // [N, C, K, oh, ow]
  std::vector<int64_t> padded{size[0] + 2 * g.padding[0], size[1] + 2 * g.padding[1]};
  Tensor total;  // [N, C, H + 2ph, W + 2pw]
  for (int64_t t = 0; t < taps; ++t) {
    Tensor b = squeeze(slice(blocks, 2, t, t + 1), {2});  // [N, C, oh, ow]
    int64_t k[2] = {t / g.kernel[1], t % g.kernel[1]};
    for (int i = 0; i < 2; ++i) {
      int axis = 2 + i;
      b = spread(b, axis, g.stride[i]);  // [.., (o - 1) s + 1, ..]
      int64_t lo = k[i] * g.dilation[i];
      b = pad_or_crop(b, axis, lo, padded[i] - lo - b.shape()[axis]);
    }
    total = total.defined() ? total + b : b;
  }
  Tensor y = slice(slice(total, 2, g.padding[0], g.padding[0] + size[0]), 3, g.padding[1],
                   g.padding[1] + size[1]);  // [N, C, H, W]
  return input.dim() == 2 ? squeeze(y, {0}) : y;
}

LATHE_REGISTER_OPS(unfold) {
  using U = UnfoldOptions;
  registry.add(OpDef("unfold", "nn")
                   .summary("im2col: the sliding windows of x [N, C, H, W] as columns "
                            "[N, C kh kw, L]")
                   .input("x")
                   .options<U>()
                   .attr("kernel_size", &U::kernel_size, "window extent: one value or (kh, kw)")
                   .attr("dilation", &U::dilation, "spacing of the window taps, >= 1")
                   .attr("padding", &U::padding, "zeros added on both sides of each dim")
                   .attr("stride", &U::stride, "step between windows, >= 1")
                   .output("cols")
                   .run(unfold));
  using F = FoldOptions;
  registry.add(OpDef("fold", "nn")
                   .summary("col2im: columns [N, C kh kw, L] summed back into [N, C, H, W] "
                            "(unfold's adjoint)")
                   .input("cols")
                   .options<F>()
                   .attr("output_size", &F::output_size, "(H, W) of the result, one value or two")
                   .attr("kernel_size", &F::kernel_size, "window extent: one value or (kh, kw)")
                   .attr("dilation", &F::dilation, "spacing of the window taps, >= 1")
                   .attr("padding", &F::padding, "cropped from both sides of each dim")
                   .attr("stride", &F::stride, "step between windows, >= 1")
                   .output("y")
                   .run(fold));
}

}  // namespace lathe
