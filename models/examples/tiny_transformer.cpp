// TinyTransformerClassifier: patch (or token) embedding, positional embedding, pre-norm
// Transformer blocks, final norm, class-token or mean pooling, linear head.
#include "core/random.h"
#include "models/examples/examples.h"
#include "ops/nn/nn.h"

namespace lathe::nn {

TinyTransformerClassifier::TinyTransformerClassifier(TinyTransformerOptions o)
    : options_(std::move(o)) {
  const TinyTransformerOptions& p = options_;
  LATHE_CHECK(p.dim > 0 && p.depth >= 0 && p.heads > 0 && p.num_classes > 0,
              "[TinyTransformerClassifier] dim, heads and num_classes must be positive and depth "
              "non-negative, got dim ", p.dim, ", depth ", p.depth, ", heads ", p.heads,
              ", num_classes ", p.num_classes);
  LATHE_CHECK(p.pool == "cls" || p.pool == "mean",
              "[TinyTransformerClassifier] pool must be \"cls\" or \"mean\", got \"", p.pool, "\"");
  LATHE_CHECK(p.dropout >= 0 && p.dropout < 1,
              "[TinyTransformerClassifier] dropout must lie in [0, 1), got ", p.dropout);
  int64_t tokens;
  if (p.vocab_size > 0) {
    LATHE_CHECK(p.max_len > 0, "[TinyTransformerClassifier] token mode needs max_len > 0, got ",
                p.max_len);
    tokens = p.max_len;
  } else {
    LATHE_CHECK(
        p.image_size > 0 && p.channels > 0 && p.patch_size > 0 && p.image_size % p.patch_size == 0,
        "[TinyTransformerClassifier] image_size ", p.image_size,
        " must be a positive multiple of patch_size ", p.patch_size, " (channels ", p.channels,
        ")");
    int64_t side = p.image_size / p.patch_size;
    tokens = side * side;
  }
  bool cls = p.pool == "cls";
  if (cls)
    cls_token = add_parameter("cls_token", normal({1, 1, p.dim}, 0.0, 0.02, p.dtype, p.device));
  pos_embed = add_parameter(
      "pos_embed", normal({1, tokens + (cls ? 1 : 0), p.dim}, 0.0, 0.02, p.dtype, p.device));
  if (p.vocab_size > 0) {
    token_embed = add_module(
        "token_embed",
        std::make_shared<Embedding>(p.vocab_size, p.dim, std::nullopt, p.dtype, p.device));
  } else {
    int64_t patch = p.channels * p.patch_size * p.patch_size;
    patch_embed =
        add_module("patch_embed", std::make_shared<Linear>(patch, p.dim, true, p.dtype, p.device));
  }
  auto stack = add_module("blocks", std::make_shared<Sequential>());
  for (int64_t i = 0; i < p.depth; ++i) {
    blocks.push_back(std::make_shared<TransformerBlock>(p.dim, p.heads, p.mlp_ratio, p.dropout,
                                                        p.norm, false, p.dtype, p.device));
    stack->append(blocks.back());
  }
  norm =
      add_module("norm", make_norm(p.norm, p.dim, "TinyTransformerClassifier", p.dtype, p.device));
  head =
      add_module("head", std::make_shared<Linear>(p.dim, p.num_classes, true, p.dtype, p.device));
}

Tensor TinyTransformerClassifier::patchify(const Tensor& x) const {
  const TinyTransformerOptions& p = options_;
  int64_t c = p.channels, s = p.image_size, q = p.patch_size, g = s / q;
  bool flat = x.dim() == 2 && x.shape()[1] == c * s * s;
  bool image = x.dim() == 4 && x.shape() == Shape{x.shape()[0], c, s, s};
  LATHE_CHECK(flat || image, "[TinyTransformerClassifier] expected x [B, ", c * s * s, "] or [B, ",
              c, ", ", s, ", ", s, "], got ", x.shape());
  int64_t b = x.shape()[0];
  Tensor t = reshape(x, {b, c, g, q, g, q});  // [B, C, gi, i, gj, j]
  t = permute(t, {0, 2, 4, 1, 3, 5});         // [B, gi, gj, C, i, j]
  return reshape(t, {b, g * g, c * q * q});   // [B, N, C P P]
}

Tensor TinyTransformerClassifier::forward(const Tensor& x) {
  const TinyTransformerOptions& p = options_;
  Tensor h;  // [B, N, D]
  if (token_embed) {
    LATHE_CHECK(x.dim() == 2 && x.shape()[1] >= 1 && x.shape()[1] <= p.max_len,
                "[TinyTransformerClassifier] expected token ids [B, T] with 1 <= T <= ", p.max_len,
                ", got ", x.shape());
    h = (*token_embed)(x);
  } else {
    h = (*patch_embed)(patchify(x));
  }
  int64_t b = h.shape()[0];
  if (cls_token.defined()) h = concat({expand(cls_token, {b, 1, p.dim}), h}, 1);  // [B, 1 + N, D]
  h = h + slice(pos_embed, 1, 0, h.shape()[1]);
  h = dropout(h, p.dropout, is_training());
  for (auto& block : blocks) h = (*block)(h);
  h = (*norm)(h);  // [B, N, D]
  Tensor pooled = cls_token.defined() ? h.select(1, 0) : mean(h, {1});  // [B, D]
  return (*head)(pooled);  // [B, classes]
}

}  // namespace lathe::nn
