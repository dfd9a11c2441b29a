// Helpers shared by the distillation objectives (internal to losses/distill).
#pragma once

#include "ops/composite.h"

namespace lathe::distill {

// "[op] temperature must be positive, got T".
void check_temperature(const char* op, double temperature);

// Class-index targets [B] for logits [B, C]: integral, in range; returns them as i64.
Tensor check_class_targets(const char* op, const Tensor& target, int64_t classes);

// The column ids of the non-target classes, row by row: [B, C - 1] i64, row b holding
// 0..C-1 without y_b, in order (what masking the target column out of [B, C] leaves).
Tensor non_target_index(const Tensor& y, int64_t classes);

// Token-level logits: student and teacher [..., V] of one shape, floating.
void check_token_logits(const char* op, const Tensor& student, const Tensor& teacher);

// The kept-token mask [...] (float, student's dtype) of optional labels against ignore_index;
// all ones without labels. Labels must be integral with the token shape `tokens`.
Tensor kept_tokens(const char* op, const Tensor& labels, int64_t ignore_index,
                   const Shape& tokens, const Tensor& like);

// Per-token losses rows [...] times kept, reduced: 'none' (0 at ignored tokens), 'sum', or
// 'mean' over the kept tokens (every token ignored: a finite 0 with zero gradients).
Tensor reduce_tokens(const Tensor& rows, const Tensor& kept, Reduction reduction);

}  // namespace lathe::distill

namespace lathe::distill {

// f16 and bf16 tensors as f32 (others as they are): objectives whose terms cancel (DKD's
// log-probability differences, RKD's distances) compute in f32 and cast the loss back, so a
// half-precision input keeps its own precision in the result.
Tensor widen(const Tensor& x);

// Features [B, ...] with one batch: checked floating with at least one feature, returned as
// [B, D] (a view when contiguous).
Tensor flatten_batch(const char* op, const char* name, const Tensor& x, int64_t batch);

// F.normalize along `axis`: x / max(||x||_2, 1e-12). A zero vector maps to 0 with the
// gradient divided by 1e-12 (the clamp passes nothing to the norm), never NaN.
Tensor l2_normalize(const Tensor& x, int64_t axis);

}  // namespace lathe::distill
