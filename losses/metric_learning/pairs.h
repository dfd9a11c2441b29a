// The batch kit of the embedding losses (metric_learning/, contrastive/, face/): argument checks,
// label masks, pairwise distances and similarities by GEMM, masked log-sum-exp and hardest-pair
// mining. Private to the losses (not in lathe.h); composed from public ops, so every backend
// runs them and double backward comes for free. Kept small so that they can switch to the core
// cdist / normalize / cosine_similarity ops when those land.
//
// Pair tensors are [B, R] (anchor rows, reference columns), never [B, R, D]: distances come
// from one matmul, ||a||^2 + ||b||^2 - 2 a.b clamped at 0, or a.b on normalized rows.
//
// The empty-set rule (every loss of these folders keeps it unless its header names another):
// an anchor with no positive or no negative is skipped. A row reduction over an empty set gives
// 0 with a zero gradient (never -inf or NaN: masked entries are replaced before exp/log, not
// after), and a loss with nothing left is 0 with a graph (zero_with_graph).
#pragma once

#include "core/tensor.h"

namespace lathe::pairs {

// Floating [B, D] (or `ndim` dims): "[op] name must have 2 dims, got shape [..]".
void check_embeddings(const char* op, const char* name, const Tensor& x, int ndim = 2);
// Integer labels of shape [n]: "[op] labels must be integers (class indices), got f32" /
// "[op] labels must have shape [n], got [..]".
void check_labels(const char* op, const char* name, const Tensor& labels, int64_t n);
// Labels index C classes: "[op] labels must lie in [0, C), got v" (`name` for "labels").
void check_label_range(const char* op, const Tensor& labels, int64_t classes,
                       const char* name = "labels");
// "[op] name must be > 0, got v".
void check_positive(const char* op, const char* name, double v);

// [B, R] bool: labels[i] == ref[j].
Tensor same_label(const Tensor& labels, const Tensor& ref);
// [B, B] bool: i != j (self-pair exclusion).
Tensor not_self(int64_t n, Device device);
// [B, B] bool: same label, i != j.
Tensor positive_mask(const Tensor& labels);
// [B, B] bool: different label.
Tensor negative_mask(const Tensor& labels);

// F.normalize: x / max(||x||_2, 1e-12) over the last axis (a zero row maps to 0).
Tensor l2_normalize(const Tensor& x);
// [B, R] squared Euclidean distances by GEMM. The form cancels: its rounding error is about
// eps * (||a||^2 + ||b||^2), so a value below 4 eps (||a||^2 + ||b||^2) (eps of the dtype) is
// noise and is set to exactly 0 (its derivatives kept, those of ||a - b||^2 there: zero first
// order, 2 I second order; distances() then passes 0): duplicate embeddings are at distance 0,
// as with a direct difference (PML's masks "loss > 0" depend on it). In f32 on unit rows that
// is a distance below about 1e-3, the resolution of the GEMM form there. `self_pairs`: b is a
// and the diagonal is 0.
Tensor squared_distances(const Tensor& a, const Tensor& b, bool self_pairs);
// [B, R] Euclidean distances; the gradient at a zero distance is 0 (as torch.cdist).
// sqrt with a zero gradient at 0 (sqrt'(0) is infinite; torch's norm passes 0 there).
Tensor safe_sqrt(const Tensor& s);
Tensor distances(const Tensor& a, const Tensor& b, bool self_pairs);

// log sum_{j: mask} exp(x_j) along `axis` (kept as a dim of 1), plus a term exp(0) when
// `add_one`; 0 (zero gradient) where the mask holds nothing along the axis.
Tensor masked_logsumexp(const Tensor& x, const Tensor& mask, int64_t axis, bool add_one);
// Number of true entries along `axis` as x's floating dtype, keepdim.
Tensor count(const Tensor& mask, int64_t axis, DType dtype);
// Index [B] of the largest (or smallest) x[i, j] over mask[i, :] (first on ties), and in
// `any` [B] bool whether the row has an entry. Not differentiable (a mining decision).
Tensor hardest_index(const Tensor& x, const Tensor& mask, bool largest, Tensor* any);
// x[i, index[i]]: [B].
Tensor take_rows(const Tensor& x, const Tensor& index);

// 0 * sum(x): a zero that keeps x's graph (the loss of a batch with nothing left).
Tensor zero_with_graph(const Tensor& x);
// mean over the entries where keep holds, or zero_with_graph(values) when none does
// (pytorch-metric-learning's AvgNonZeroReducer with keep = values > 0).
Tensor masked_mean(const Tensor& values, const Tensor& keep);

}  // namespace lathe::pairs
