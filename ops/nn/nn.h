// The neural-network composites of ops/nn/ (one file each, no backward code; fused kernels
// through fused_or_composite): softmax and log_softmax with their gradient ops, the per-row
// cross-entropy, linear, gelu, silu, dropout. A new op of this family adds its declaration here;
// ops/ops.h keeps the tensor ops. docs/ops-core.md lists their registry entries.
#pragma once

#include <string>

#include "ops/ops.h"

namespace lathe {

Tensor softmax(const Tensor& x, int64_t axis = -1);
Tensor log_softmax(const Tensor& x, int64_t axis = -1);
// Their gradients given the output y and the incoming g (fused kernels when a backend has them).
Tensor softmax_backward(const Tensor& g, const Tensor& y, int64_t axis = -1);
Tensor log_softmax_backward(const Tensor& g, const Tensor& y, int64_t axis = -1);
// Per-row cross-entropy loss [N] of logits [N, C] and integer labels [N], and its gradient given
// the row log-sum-exp lse [N].
Tensor softmax_cross_entropy(const Tensor& x, const Tensor& labels);
Tensor softmax_cross_entropy_backward(const Tensor& g, const Tensor& x, const Tensor& labels,
                                      const Tensor& lse);
// y = x @ weight^T + bias; weight [out, in], bias [out] or undefined.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());
// approximate: "none" (erf) or "tanh".
Tensor gelu(const Tensor& x, const std::string& approximate = "none");
Tensor silu(const Tensor& x);
// Inverted dropout; seed < 0 draws from the global generator (core/random.h).
Tensor dropout(const Tensor& x, double p = 0.5, bool training = true, int64_t seed = -1);

}  // namespace lathe
