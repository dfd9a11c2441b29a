// Embedding: a lookup table, y[..., :] = weight[indices[...], :], as torch.nn.Embedding.
// weight [num_embeddings, dim] ~ N(0, 1). With padding_idx the row weight[padding_idx] starts at
// zero and receives no gradient (it still returns whatever the row holds, as in PyTorch).
// Repeated indices accumulate their gradients into the same row (gather's backward is a
// scatter_add).
#pragma once

#include <optional>

#include "models/module.h"

namespace lathe::nn {

class Embedding : public Layer {
 public:
  // padding_idx may be negative (counted from the end, as in PyTorch).
  Embedding(int64_t num_embeddings, int64_t embedding_dim,
            std::optional<int64_t> padding_idx = std::nullopt, DType dtype = DType::f32,
            Device device = default_device());
  Tensor forward(const Tensor& indices) override;  // i64/i32 [...] -> [..., dim]

  int64_t num_embeddings, embedding_dim;
  std::optional<int64_t> padding_idx;  // normalized to [0, num_embeddings)
  Tensor weight;                       // [num_embeddings, dim]
};

}  // namespace lathe::nn
