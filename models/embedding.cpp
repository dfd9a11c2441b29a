#include "models/embedding.h"

#include "core/random.h"
#include "ops/ops.h"
#include "ops/prim/indexing.h"

namespace lathe::nn {

Embedding::Embedding(int64_t num, int64_t dim, std::optional<int64_t> pad, DType dtype,
                     Device device)
    : num_embeddings(num), embedding_dim(dim) {
  LATHE_CHECK(num > 0 && dim > 0,
              "[Embedding] num_embeddings and embedding_dim must be positive, got ", num, " and ",
              dim);
  if (pad) {
    LATHE_CHECK(*pad >= -num && *pad < num, "[Embedding] padding_idx ", *pad, " out of range for ",
                num, " embeddings");
    padding_idx = *pad < 0 ? *pad + num : *pad;
  }
  Tensor w = randn({num, dim}, dtype, device);  // [num, dim]
  if (padding_idx) w.select(0, *padding_idx).zero_();
  weight = add_parameter("weight", w);
}

Tensor Embedding::forward(const Tensor& indices) {
  LATHE_CHECK(indices.dtype() == DType::i64 || indices.dtype() == DType::i32,
              "[Embedding] indices must be i64 or i32, got ", indices.dtype(), " ",
              indices.shape());
  Tensor flat = reshape(indices, {indices.numel()});  // [n]
  // A bad index is found by the gather kernel itself: "[Embedding] index 7 out of range [0, 5)"
  // with no host round trip on the fast path.
  Tensor rows = index_select_as("Embedding", weight, flat, 0);  // [n, dim]
  if (padding_idx) {
    // The padding row's value passes through detached, so its gradient is zero.
    Tensor is_pad = unsqueeze(eq(flat, static_cast<double>(*padding_idx)), 1);  // [n, 1]
    rows = where(is_pad, rows.detach(), rows);
  }
  Shape out = indices.shape();
  out.push_back(embedding_dim);
  return reshape(rows, out);  // [..., dim]
}

}  // namespace lathe::nn
