// Resampling primitives (issue 14), as torch.nn.functional (PyTorch 1.13) defines them: unfold
// and fold (im2col / col2im), interpolate (nearest, linear / bilinear), adaptive_avg_pool2d,
// adaptive_max_pool2d, and einsum. All are composites of public ops (strided windows, pads,
// index_select, matmul), so every backend runs them unchanged and autograd gives their first
// and second derivatives: unfold's backward is a fold and fold's an unfold, by construction.
// docs/ops-core.md lists their registry entries.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"
#include "ops/nn/conv.h"

namespace lathe {

// Per-dim attributes take one value for both spatial dims or one per dim (H first).
struct UnfoldOptions {
  std::vector<int64_t> kernel_size;
  std::vector<int64_t> dilation{1};
  std::vector<int64_t> padding{0};  // zeros on both sides of each dim
  std::vector<int64_t> stride{1};
};

// im2col: x [N, C, H, W] (or [C, H, W]) -> [N, C * kh * kw, L] (or [C * kh * kw, L]), the
// column index c * kh * kw + (i * kw + j) for channel c and kernel tap (i, j), L the number of
// window positions in row-major order.
Tensor unfold(const Tensor& x, const UnfoldOptions& options);

struct FoldOptions {
  std::vector<int64_t> output_size;  // (H, W) of the result, one value or two
  std::vector<int64_t> kernel_size;
  std::vector<int64_t> dilation{1};
  std::vector<int64_t> padding{0};
  std::vector<int64_t> stride{1};
};

// col2im, unfold's adjoint: cols [N, C * kh * kw, L] (or [C * kh * kw, L]) -> [N, C, H, W]
// (or [C, H, W]); each column entry is added into the cell it was taken from (overlaps sum).
Tensor fold(const Tensor& cols, const FoldOptions& options);

struct InterpolateOptions {
  std::vector<int64_t> size;  // output spatial extent: one value or one per dim
  double scale_factor = 0;    // used when size is empty: out = floor(in * scale_factor)
  std::string mode = "nearest";  // "nearest", "linear" (x [N, C, L]), "bilinear" ([N, C, H, W])
  bool align_corners = false;    // linear modes only: corner samples map onto corner samples
};

// F.interpolate on x [N, C, L] or [N, C, H, W]. nearest: src = min(floor(dst * s), in - 1) in
// float, s = 1 / scale_factor when given else in / out (PyTorch 1.13's "nearest", not
// "nearest-exact"). linear: src = dst (in - 1) / (out - 1) with align_corners, else
// max(0, (dst + 0.5) s - 0.5); the two neighbours weighted by the fraction.
Tensor interpolate(const Tensor& x, const InterpolateOptions& options);

// Adaptive pools over x [N, C, H, W] (or [C, H, W]) to output_size (one value or (oh, ow)):
// output cell i of a dim of extent S spans [floor(i S / o), ceil((i + 1) S / o)).
Tensor adaptive_avg_pool2d(const Tensor& x, const std::vector<int64_t>& output_size);
// y and the flat position h W + w of each window's first maximum (row-major), which alone
// takes the gradient (PyTorch's rule).
MaxPoolResult adaptive_max_pool2d(const Tensor& x, const std::vector<int64_t>& output_size);

// torch.einsum: "ij,jk->ik", implicit outputs ("ij,jk": the labels seen once, sorted), "..."
// for broadcast leading dims, repeated labels within one operand (diagonals, "ii->i"), size-1
// dims broadcast against the same label elsewhere. Lowered onto diagonal, sum, permute,
// reshape and batched matmul, contracting the operands left to right.
Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands);

}  // namespace lathe
