// Conversions and row/channel helpers the normalization ops share (their argument checks are
// the composite kit's: ops/composite.h).
#pragma once

#include "ops/composite.h"

namespace lathe::norms {

// The dtype statistics are computed in: f32 for f16/bf16 inputs, the input's own otherwise.
DType stat_dtype(const Tensor& x);

// t in dtype `d` (undefined stays undefined). Differentiable: casts record a graph node.
Tensor as_dtype(const Tensor& t, DType d);

// A per-channel tensor of x [N, C, *] given as [C] or [1, C, 1, ...], as the latter.
Tensor channel_param(const char* op, const char* name, const Tensor& p, const Tensor& x);

// Every axis of an `ndim`-dim tensor except `keep`.
Axes axes_except(int ndim, int keep);

// x [..., C] as rows [M, C], M = the product of the leading dims (checks x has a dim).
Tensor as_rows(const char* op, const Tensor& x);

// The keep-row mask [M, 1] (true = counts in the statistics) of an optional pad_mask of shape
// x.shape[:-1] (true = padding), and the number of kept rows; a null Tensor keeps every row.
struct RowMask {
  Tensor keep;    // bool [M, 1], undefined when every row counts
  int64_t count;  // rows that count
};
RowMask row_mask(const char* op, const Tensor& pad_mask, const Tensor& x);

// mean over the kept rows of t [M, C] -> [C].
Tensor masked_row_mean(const Tensor& t, const RowMask& mask);

}  // namespace lathe::norms
