#include "models/attention.h"

#include <cmath>
#include <limits>

#include "core/grad_mode.h"
#include "core/random.h"
#include "ops/nn/nn.h"

namespace lathe::nn {

MultiheadSelfAttention::MultiheadSelfAttention(int64_t dim_, int64_t heads_, double dropout_,
                                               bool causal_, bool bias, DType dtype, Device device)
    : dim(dim_), heads(heads_), dropout(dropout_), causal(causal_) {
  LATHE_CHECK(dim > 0 && heads > 0 && dim % heads == 0, "[MultiheadSelfAttention] dim ", dim,
              " must be a positive multiple of heads ", heads);
  LATHE_CHECK(dropout >= 0 && dropout < 1,
              "[MultiheadSelfAttention] dropout must lie in [0, 1), got ", dropout);
  double bound = std::sqrt(6.0 / static_cast<double>(dim + 3 * dim));  // xavier_uniform
  in_proj_weight =
      add_parameter("in_proj_weight", uniform({3 * dim, dim}, -bound, bound, dtype, device));
  if (bias) in_proj_bias = add_parameter("in_proj_bias", zeros({3 * dim}, dtype, device));
  out_proj = add_module("out_proj", std::make_shared<Linear>(dim, dim, bias, dtype, device));
  if (bias) {
    NoGradGuard no_grad;
    out_proj->bias.zero_();
  }
}

Tensor MultiheadSelfAttention::forward(const Tensor& x) {
  LATHE_CHECK(x.dim() == 3 && x.shape()[2] == dim, "[MultiheadSelfAttention] expected x [B, T, ",
              dim, "], got ", x.shape());
  int64_t b = x.shape()[0], t = x.shape()[1], d = dim / heads;
  Tensor qkv = linear(x, in_proj_weight, in_proj_bias);                     // [B, T, 3 dim]
  qkv = permute(reshape(qkv, {b, t, 3, heads, d}), {2, 0, 3, 1, 4});        // [3, B, H, T, d]
  Tensor q = qkv.select(0, 0), k = qkv.select(0, 1), v = qkv.select(0, 2);  // [B, H, T, d]
  Tensor scores =
      matmul(q, transpose(k, -2, -1)) * (1.0 / std::sqrt(static_cast<double>(d)));  // [B, H, T, T]
  if (causal) {
    Tensor pos = arange(t, DType::i64, x.device());             // [T]
    Tensor visible = ge(unsqueeze(pos, 1), unsqueeze(pos, 0));  // [T, T], s <= t
    scores = where(visible, scores, -std::numeric_limits<double>::infinity());
  }
  Tensor attn = lathe::dropout(softmax(scores, -1), dropout, is_training());  // [B, H, T, T]
  Tensor y = matmul(attn, v);                                                 // [B, H, T, d]
  y = reshape(permute(y, {0, 2, 1, 3}), {b, t, dim});                         // [B, T, dim]
  return out_proj->forward(y);
}

}  // namespace lathe::nn
