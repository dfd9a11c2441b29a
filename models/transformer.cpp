#include "models/transformer.h"

#include "models/norm/norm.h"
#include "ops/nn/nn.h"

namespace lathe::nn {

std::shared_ptr<Layer> make_norm(const std::string& norm, int64_t dim, const std::string& who,
                                 DType dtype, Device device) {
  if (norm == "layer_norm")
    return std::make_shared<LayerNorm>(Shape{dim}, 1e-5, true, dtype, device);
  LATHE_CHECK(norm == "rms_norm", "[", who, "] norm must be \"layer_norm\" or \"rms_norm\", got \"",
              norm, "\"");
  return std::make_shared<RMSNorm>(dim, 1e-5, true, dtype, device);
}

TransformerBlock::TransformerBlock(int64_t dim_, int64_t heads, double mlp_ratio, double dropout_,
                                   const std::string& norm, bool causal, DType dtype, Device device)
    : dim(dim_), dropout(dropout_) {
  LATHE_CHECK(dim > 0 && heads > 0 && dim % heads == 0, "[TransformerBlock] dim ", dim,
              " must be a positive multiple of heads ", heads);
  int64_t hidden = static_cast<int64_t>(mlp_ratio * static_cast<double>(dim));
  LATHE_CHECK(hidden > 0, "[TransformerBlock] mlp_ratio ", mlp_ratio, " gives ", hidden,
              " hidden features for dim ", dim);
  LATHE_CHECK(dropout >= 0 && dropout < 1, "[TransformerBlock] dropout must lie in [0, 1), got ",
              dropout);
  self_attn = add_module("self_attn", std::make_shared<MultiheadSelfAttention>(
                                          dim, heads, dropout, causal, true, dtype, device));
  linear1 = add_module("linear1", std::make_shared<Linear>(dim, hidden, true, dtype, device));
  linear2 = add_module("linear2", std::make_shared<Linear>(hidden, dim, true, dtype, device));
  norm1 = add_module("norm1", make_norm(norm, dim, "TransformerBlock", dtype, device));
  norm2 = add_module("norm2", make_norm(norm, dim, "TransformerBlock", dtype, device));
}

Tensor TransformerBlock::forward(const Tensor& x) {
  LATHE_CHECK(x.dim() == 3 && x.shape()[2] == dim, "[TransformerBlock] expected x [B, T, ", dim,
              "], got ", x.shape());
  bool train = is_training();
  Tensor h =
      x + lathe::dropout((*self_attn)((*norm1)(x)), dropout, train);  // [B, T, D]
  Tensor m = gelu((*linear1)((*norm2)(h)));  // [B, T, hidden]
  m = (*linear2)(lathe::dropout(m, dropout, train));  // [B, T, D]
  return h + lathe::dropout(m, dropout, train);
}

}  // namespace lathe::nn
