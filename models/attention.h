// Multi-head self-attention (Vaswani et al. 2017, "Attention Is All You Need",
// https://arxiv.org/abs/1706.03762), as torch.nn.MultiheadAttention(dim, heads, dropout,
// batch_first=True) called with query = key = value = x:
//   [q k v] = x W_in^T + b_in,         split into H heads of size d = dim / H
//   A_h     = softmax(q_h k_h^T / sqrt(d) + M)   M_ts = -inf for s > t when causal, else 0
//   y       = concat_h(dropout(A_h) v_h) W_out^T + b_out
// A composite of linear, matmul, softmax and views; no attention kernel of its own.
// Parameters (PyTorch's names): in_proj_weight [3 dim, dim] xavier_uniform, in_proj_bias
// [3 dim] 0, out_proj.weight [dim, dim] (nn.Linear's init), out_proj.bias [dim] 0.
#pragma once

#include <memory>

#include "models/linear.h"
#include "models/module.h"

namespace lathe::nn {

class MultiheadSelfAttention : public Layer {
 public:
  MultiheadSelfAttention(int64_t dim, int64_t heads, double dropout = 0.0, bool causal = false,
                         bool bias = true, DType dtype = DType::f32,
                         Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [B, T, dim] -> [B, T, dim]

  int64_t dim, heads;
  double dropout;         // on the attention weights, in training
  bool causal;            // position t attends to positions <= t only
  Tensor in_proj_weight;  // [3 dim, dim], rows q | k | v
  Tensor in_proj_bias;    // [3 dim]; undefined without bias
  std::shared_ptr<Linear> out_proj;
};

}  // namespace lathe::nn
