// TransformerBlock: a pre-norm Transformer encoder layer (Xiong et al. 2020, "On Layer
// Normalization in the Transformer Architecture", https://arxiv.org/abs/2002.04745), as
// torch.nn.TransformerEncoderLayer(dim, heads, dim_feedforward = mlp_ratio dim, dropout,
// activation="gelu", batch_first=True, norm_first=True):
//   h = x + dropout(self_attn(norm1(x)))
//   y = h + dropout(linear2(dropout(gelu(linear1(norm2(h))))))
// gelu is the exact (erf) form. State-dict keys are PyTorch's, so its state dict loads as is:
//   self_attn.in_proj_weight, self_attn.in_proj_bias, self_attn.out_proj.{weight,bias},
//   linear1.{weight,bias}, linear2.{weight,bias}, norm1.{weight,bias}, norm2.{weight,bias}
// norm "layer_norm" is LayerNorm(dim, eps 1e-5); "rms_norm" is RMSNorm(dim, eps 1e-5) with a
// weight (norm1.weight, norm2.weight, no bias).
#pragma once

#include <memory>
#include <string>

#include "models/attention.h"
#include "models/linear.h"
#include "models/module.h"

namespace lathe::nn {

class TransformerBlock : public Layer {
 public:
  TransformerBlock(int64_t dim, int64_t heads, double mlp_ratio = 4.0, double dropout = 0.0,
                   const std::string& norm = "layer_norm", bool causal = false,
                   DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [B, T, dim] -> [B, T, dim]

  int64_t dim;
  double dropout;
  std::shared_ptr<MultiheadSelfAttention> self_attn;
  std::shared_ptr<Linear> linear1;  // [hidden, dim], hidden = int(mlp_ratio dim)
  std::shared_ptr<Linear> linear2;  // [dim, hidden]
  std::shared_ptr<Layer> norm1, norm2;
};

// The norm layer a TransformerBlock names by `norm` ("layer_norm" or "rms_norm", as above);
// `who` names the caller in the error for an unknown name.
std::shared_ptr<Layer> make_norm(const std::string& norm, int64_t dim, const std::string& who,
                                 DType dtype = DType::f32, Device device = default_device());

}  // namespace lathe::nn
