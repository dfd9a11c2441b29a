// Example models for 28 x 28 images such as Fashion-MNIST: each takes x [B, 784] or
// [B, 1, 28, 28] (any sizes the options give) and returns logits [B, classes].
//
//   nn::MLP mlp(784, {256, 128}, 10, "relu", 0.1);
//   nn::KANNet kan(784, {64}, 10);
//   nn::TinyTransformerOptions o;                 // 7 x 7 patches: 16 tokens of 49 pixels
//   nn::TinyTransformerClassifier vit(o);
//   Tensor loss = mean(softmax_cross_entropy(vit.forward(x), labels));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/embedding.h"
#include "models/kan/kan.h"
#include "models/linear.h"
#include "models/module.h"
#include "models/transformer.h"

namespace lathe::nn {

// A multilayer perceptron, as the torch.nn.Sequential
//   Flatten(), [Linear(d_i, d_i+1), activation, Dropout(dropout)] per hidden width, Linear(., out)
// so its state-dict keys are "1.weight", "1.bias", "4.weight", ... (3 modules per hidden layer;
// the Dropout is there even when dropout is 0, so the keys do not depend on it).
// activation: any name of the activation table (make_activation; ops/composite.h).
class MLP : public Sequential {
 public:
  MLP(int64_t in_features, const std::vector<int64_t>& hidden, int64_t out_features,
      const std::string& activation = "relu", double dropout = 0.0, DType dtype = DType::f32,
      Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [B, ...] with in_features per row -> [B, out]

  int64_t in_features;
};

// efficient-kan's KAN over the flattened input: KANLinear layers of widths
// {in, hidden..., out} ("layers.0.base_weight", ..., as nn::KAN), x [B, ...] -> [B, out].
// Inputs are expected inside the initial grid range [-1, 1] (pixels in [0, 1] are);
// update_grid moves the grids to the data.
class KANNet : public KAN {
 public:
  KANNet(int64_t in_features, const std::vector<int64_t>& hidden, int64_t out_features,
         int64_t grid_size = 5, int64_t spline_order = 3, DType dtype = DType::f32,
         Device device = default_device());
  Tensor forward(const Tensor& x) override;
  Tensor update_grid(const Tensor& x, double margin = 0.01) override;

  int64_t in_features;
};

struct TinyTransformerOptions {
  // Image mode (vocab_size 0): square images of `channels` channels, cut into patches of
  // patch_size x patch_size pixels, each linearly embedded ("patch_embed").
  int64_t image_size = 28;
  int64_t channels = 1;
  int64_t patch_size = 7;
  // Token mode (vocab_size > 0): x holds token ids i64/i32 [B, T], T <= max_len, embedded by
  // an Embedding ("token_embed").
  int64_t vocab_size = 0;
  int64_t max_len = 0;
  int64_t dim = 64;
  int64_t depth = 2;
  int64_t heads = 4;
  int64_t num_classes = 10;
  double mlp_ratio = 4.0;
  double dropout = 0.0;
  std::string pool = "cls";  // "cls": a learned class token's output; "mean": mean over tokens
  std::string norm = "layer_norm";
  DType dtype = DType::f32;
  Device device = default_device();
};

// A small Vision Transformer (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words",
// https://arxiv.org/abs/2010.11929), in timm's layout with pre-norm blocks:
//   tokens = patch_embed(patches(x)) [B, N, D]   (or token_embed(x) [B, T, D])
//   h      = [cls_token; tokens] + pos_embed      (no cls_token when pool = "mean")
//   h      = norm(blocks(dropout(h)))
//   logits = head(h[:, 0] or mean_t h)
// Parameters: cls_token [1, 1, D] and pos_embed [1, N (+ 1), D] ~ N(0, 0.02^2), patch_embed
// (Linear(C P P, D): timm's conv weight [D, C, P, P] reshaped, since a patch's pixels are
// ordered (c, i, j)) or token_embed, blocks.<i>.* (TransformerBlock), norm, head.
class TinyTransformerClassifier : public Layer {
 public:
  explicit TinyTransformerClassifier(TinyTransformerOptions options = {});
  Tensor forward(const Tensor& x) override;  // -> [B, num_classes]
  // x [B, C S S] or [B, C, S, S] -> [B, (S / P)^2, C P P], patches in row-major order.
  Tensor patchify(const Tensor& x) const;
  const TinyTransformerOptions& options() const { return options_; }

  Tensor cls_token;                        // [1, 1, D]; undefined when pool = "mean"
  Tensor pos_embed;                        // [1, tokens (+ 1), D]
  std::shared_ptr<Linear> patch_embed;     // image mode
  std::shared_ptr<Embedding> token_embed;  // token mode
  std::vector<std::shared_ptr<TransformerBlock>> blocks;
  std::shared_ptr<Layer> norm;
  std::shared_ptr<Linear> head;

 private:
  TinyTransformerOptions options_;
};

}  // namespace lathe::nn
