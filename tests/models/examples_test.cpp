// The example models of models/examples/: shapes for [B, 784] and [B, 1, 28, 28] inputs,
// parameter counts and names, patch extraction, a few hand-written SGD steps that lower the loss
// on a tiny synthetic problem, state-dict round trips and errors.
#include "models/examples/examples.h"

#include <catch2/catch.hpp>
#include <functional>

#include "lathe.h"
#include "tests/models/helpers.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::nn;
using namespace lathe::test;
using namespace lathe::test::models;

namespace {
// Eight 28 x 28 "images" in four classes: class k brightens columns 2k and 2k + 1 of every
// 7 x 7 patch (column 6 for k = 3) over uniform noise, so every patch carries the class (a
// permutation-invariant model can learn it too).
struct Problem {
  Tensor x;       // [8, 784] in [0, 1]
  Tensor labels;  // i64 [8]
};

Problem tiny_problem(DType dtype) {
  std::vector<int64_t> labels{0, 1, 2, 3, 0, 1, 2, 3};
  std::vector<double> band;
  for (int64_t k : labels)
    for (int i = 0; i < 28; ++i)
      for (int j = 0; j < 28; ++j) band.push_back((j % 7) / 2 == k ? 0.7 : 0.0);
  Generator gen(21);
  Tensor noise = rand({8, 784}, DType::f64, default_device(), &gen) * 0.3;  // [8, 784]
  return {cast(noise + from_vector(band, {8, 784}), dtype), from_vector(labels, {8})};
}

double loss_of(Layer& m, const Problem& p) {
  return mean(softmax_cross_entropy(m.forward(p.x), p.labels)).item();
}

// Trains with plain SGD for `steps` steps; returns the losses before and after.
std::pair<double, double> train(Layer& m, const Problem& p, int steps, double lr) {
  double first = loss_of(m, p);
  for (int s = 0; s < steps; ++s)
    sgd_step(m, mean(softmax_cross_entropy(m.forward(p.x), p.labels)), lr);
  return {first, loss_of(m, p)};
}

// b takes a's state dict; both then agree, before and after one more identical SGD step.
void check_round_trip(Layer& a, Layer& b, const Problem& p) {
  a.eval();
  b.eval();
  CHECK(compare(a.forward(p.x), b.forward(p.x), 1e-6, 0) != "");
  b.load_state_dict(a.state_dict());
  CHECK(compare(a.forward(p.x), b.forward(p.x), 0, 0) == "");
  train(a, p, 1, 0.1);
  train(b, p, 1, 0.1);
  CHECK(compare(a.forward(p.x), b.forward(p.x), 0, 0) == "");
}
}  // namespace

TEST_CASE("MLP: PyTorch Sequential layout, shapes, training, round trip",
          "[unit][module][layers][examples]") {
  MLP mlp(784, {32, 16}, 10, "relu", 0.1);
  CHECK(names(mlp.named_parameters()) == std::vector<std::string>{"1.weight", "1.bias", "4.weight",
                                                                  "4.bias", "7.weight", "7.bias"});
  CHECK(mlp.size() == 8);  // Flatten, (Linear, ReLU, Dropout) x 2, Linear
  CHECK(parameter_count(mlp) == 784 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10);
  mlp.eval();
  Tensor x = rand({3, 784});
  Tensor y = mlp.forward(x);
  CHECK(y.shape() == Shape{3, 10});
  CHECK(compare(mlp.forward(x.reshape({3, 1, 28, 28})), y, 0, 0) == "");
  mlp.train();
  manual_seed(1);
  CHECK(compare(mlp.forward(x), y, 1e-6, 0) != "");  // dropout acts in training

  Problem p = tiny_problem(DType::f64);
  manual_seed(2);
  MLP net(784, {16}, 4, "gelu", 0.0, DType::f64), other(784, {16}, 4, "gelu", 0.0, DType::f64);
  auto [before, after] = train(net, p, 10, 0.5);
  INFO(before << " -> " << after);
  CHECK(after < 0.5 * before);
  check_round_trip(net, other, p);

  CHECK_THROWS_WITH(mlp.forward(zeros({2, 100})),
                    Catch::Contains("[MLP] expected x [B, 784] or [B, ...] with 784 features per "
                                    "row, got [2, 100]"));
  CHECK_THROWS_WITH(MLP(784, {32}, 10, "swish"), Catch::Contains("[MLP] unknown activation"));
  CHECK_THROWS_WITH(MLP(784, {0}, 10), Catch::Contains("[MLP] hidden widths must be positive"));
  CHECK_THROWS_WITH(MLP(784, {32}, 10, "relu", 1.0), Catch::Contains("[MLP] dropout"));
}

TEST_CASE("KANNet: efficient-kan layers on flattened images", "[unit][module][layers][examples]") {
  KANNet net(784, {8}, 10);
  CHECK(names(net.named_parameters()) ==
        std::vector<std::string>{"layers.0.base_weight", "layers.0.spline_weight",
                                 "layers.0.spline_scaler", "layers.1.base_weight",
                                 "layers.1.spline_weight", "layers.1.spline_scaler"});
  // base_weight, spline_weight (G + k = 8 coefficients) and spline_scaler per edge.
  CHECK(parameter_count(net) == (784 * 8 + 8 * 10) * (1 + 8 + 1));
  CHECK(net.layers[0]->grid.shape() == Shape{784, 5 + 2 * 3 + 1});
  KANNet small(784, {2}, 3, 3, 2);  // grid_size 3, spline_order 2: 5 coefficients per edge
  CHECK(small.layers[0]->spline_weight.shape() == Shape{2, 784, 5});
  Tensor x = rand({2, 784});
  Tensor y = net.forward(x);
  CHECK(y.shape() == Shape{2, 10});
  CHECK(compare(net.forward(x.reshape({2, 1, 28, 28})), y, 0, 0) == "");
  // update_grid takes images too, through the same flattening.
  CHECK(net.update_grid(rand({9, 1, 28, 28})).shape() == Shape{9, 10});

  Problem p = tiny_problem(DType::f64);
  manual_seed(3);
  KANNet a(784, {4}, 4, 5, 3, DType::f64), b(784, {4}, 4, 5, 3, DType::f64);
  auto [before, after] = train(a, p, 10, 0.5);
  INFO(before << " -> " << after);
  CHECK(after < 0.5 * before);
  check_round_trip(a, b, p);

  CHECK_THROWS_WITH(net.forward(zeros({2, 100})),
                    Catch::Contains("[KANNet] expected x [B, 784]"));
  CHECK_THROWS_WITH(KANNet(784, {8}, 10, 0), Catch::Contains("[KANNet] grid_size"));
}

TEST_CASE("TinyTransformerClassifier: patches, names, shapes, training, round trip",
          "[unit][module][layers][examples]") {
  TinyTransformerOptions o;
  o.dim = 16;
  o.depth = 1;
  o.heads = 2;
  TinyTransformerClassifier vit(o);

  // 7 x 7 patches of a 28 x 28 image: 16 tokens of 49 pixels, in row-major order; pixel (i, j)
  // of patch (r, c) is pixel (7 r + i, 7 c + j) of the image.
  Tensor img = arange(784, DType::f64).reshape({1, 784});
  Tensor patches = vit.patchify(img);
  CHECK(patches.shape() == Shape{1, 16, 49});
  std::vector<double> v = patches.to_vector<double>();
  bool ordered = true;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c)
      for (int i = 0; i < 7; ++i)
        for (int j = 0; j < 7; ++j)
          ordered &= v[(r * 4 + c) * 49 + i * 7 + j] == (7 * r + i) * 28 + 7 * c + j;
  CHECK(ordered);

  std::vector<std::string> keys = names(vit.named_parameters());
  CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 4) ==
        std::vector<std::string>{"cls_token", "pos_embed", "patch_embed.weight",
                                 "patch_embed.bias"});
  CHECK(keys[4] == "blocks.0.self_attn.in_proj_weight");
  CHECK(std::vector<std::string>(keys.end() - 4, keys.end()) ==
        std::vector<std::string>{"norm.weight", "norm.bias", "head.weight", "head.bias"});
  CHECK(vit.pos_embed.shape() == Shape{1, 17, 16});
  // cls 16, pos 17 x 16, patch_embed 49 x 16 + 16, one block (in_proj 48 x 16 + 48, out_proj
  // 16 x 16 + 16, linear1 64 x 16 + 64, linear2 16 x 64 + 16, two norms 4 x 16), norm 32,
  // head 16 x 10 + 10.
  CHECK(parameter_count(vit) == 16 + 272 + 800 + (816 + 272 + 1088 + 1040 + 64) + 32 + 170);

  Tensor x = rand({3, 784});
  Tensor y = vit.forward(x);
  CHECK(y.shape() == Shape{3, 10});
  CHECK(compare(vit.forward(x.reshape({3, 1, 28, 28})), y, 0, 0) == "");

  // Mean pooling has no class token; token mode embeds ids.
  TinyTransformerOptions mean_pool = o;
  mean_pool.pool = "mean";
  TinyTransformerClassifier pooled(mean_pool);
  CHECK_FALSE(pooled.cls_token.defined());
  CHECK(pooled.pos_embed.shape() == Shape{1, 16, 16});
  CHECK(pooled.forward(x).shape() == Shape{3, 10});
  TinyTransformerOptions text = o;
  text.vocab_size = 20;
  text.max_len = 6;
  text.num_classes = 3;
  TinyTransformerClassifier tokens(text);
  CHECK(tokens.state_dict().count("token_embed.weight") == 1);
  CHECK(tokens.state_dict().count("patch_embed.weight") == 0);
  Tensor ids = from_vector(std::vector<int64_t>{1, 5, 19, 0, 2, 3, 3, 3, 3, 3}, {2, 5});
  CHECK(tokens.forward(ids).shape() == Shape{2, 3});

  Problem p = tiny_problem(DType::f64);
  TinyTransformerOptions small = o;
  small.num_classes = 4;
  small.dtype = DType::f64;
  manual_seed(4);
  TinyTransformerClassifier a(small), b(small);
  auto [before, after] = train(a, p, 10, 0.1);
  INFO(before << " -> " << after);
  CHECK(after < 0.5 * before);
  check_round_trip(a, b, p);

  CHECK_THROWS_WITH(vit.forward(zeros({2, 100})),
                    Catch::Contains("[TinyTransformerClassifier] expected x [B, 784] or "
                                    "[B, 1, 28, 28], got [2, 100]"));
  CHECK_THROWS_WITH(vit.forward(zeros({2, 3, 28, 28})),
                    Catch::Contains("[TinyTransformerClassifier] expected x"));
  CHECK_THROWS_WITH(tokens.forward(zeros({2, 7}, DType::i64)),
                    Catch::Contains("[TinyTransformerClassifier] expected token ids [B, T] with "
                                    "1 <= T <= 6, got [2, 7]"));
  TinyTransformerOptions bad = o;
  bad.patch_size = 5;
  CHECK_THROWS_WITH(TinyTransformerClassifier(bad),
                    Catch::Contains("[TinyTransformerClassifier] image_size 28 must be a positive "
                                    "multiple of patch_size 5"));
  bad = o;
  bad.pool = "max";
  CHECK_THROWS_WITH(TinyTransformerClassifier(bad),
                    Catch::Contains("[TinyTransformerClassifier] pool must be"));
}
