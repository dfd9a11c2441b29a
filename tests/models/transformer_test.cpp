// nn::MultiheadSelfAttention and nn::TransformerBlock: attention against hand-computed values,
// the block against torch.nn.TransformerEncoderLayer (tools/oracle/models.py fixtures, loaded
// under PyTorch's state-dict keys), gradients to every parameter, the causal mask, dropout
// and errors.
#include "models/transformer.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "lathe.h"
#include "tests/models/helpers.h"
#include "tests/support/fixture_group.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::nn;
using namespace lathe::test;
using namespace lathe::test::models;

namespace {
// A tensor of case `name` in tests/fixtures/models/transformer.safetensors, a fresh copy on the
// default device.
Tensor fixture(const std::string& name, const std::string& what) {
  static const std::vector<FixtureCase> cases = load_fixture_group(
      std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/models/transformer.safetensors");
  for (const FixtureCase& c : cases)
    if (c.name == name) return c.at(what).to(default_device()).clone();
  throw Error("[test] transformer.safetensors has no case " + name);
}

Tensor f64(std::vector<double> v, Shape shape) { return from_vector(v, shape, DType::f64); }

// q = k = v = x and an identity output projection: y = softmax(x x^T / sqrt(d) + M) x per head.
void set_identity(MultiheadSelfAttention& a) {
  Tensor eye = f64({1, 0, 0, 1}, {2, 2});
  a.load_state_dict({{"in_proj_weight", concat({eye, eye, eye}, 0)},
                     {"in_proj_bias", zeros({6}, DType::f64)},
                     {"out_proj.weight", eye},
                     {"out_proj.bias", zeros({2}, DType::f64)}});
}

const std::vector<std::string> kBlockKeys = {
    "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
    "self_attn.out_proj.bias",  "linear1.weight",         "linear1.bias",
    "linear2.weight",           "linear2.bias",           "norm1.weight",
    "norm1.bias",               "norm2.weight",           "norm2.bias"};
}  // namespace

TEST_CASE("MultiheadSelfAttention matches a hand-computed case", "[unit][module][layers]") {
  // x rows (1, 0), (0, 1), (1, 1). One head, d = 2: the scores x_t . x_s / sqrt(2) are
  // a = e^(1/sqrt 2) for the pairs with one shared feature, c = e^(sqrt 2) for row 2 with itself.
  Tensor x = f64({1, 0, 0, 1, 1, 1}, {1, 3, 2});
  double a = std::exp(1 / std::sqrt(2.0)), c = std::exp(std::sqrt(2.0));
  MultiheadSelfAttention one(2, 1, 0.0, false, true, DType::f64);
  set_identity(one);
  // Row 0 weighs rows (a, 1, a), row 1 (1, a, a), row 2 (a, a, c).
  Tensor want = f64({2 * a / (2 * a + 1), (1 + a) / (2 * a + 1), (1 + a) / (2 * a + 1),
                     2 * a / (2 * a + 1), (a + c) / (2 * a + c), (a + c) / (2 * a + c)},
                    {1, 3, 2});
  CHECK(compare(one.forward(x), want, 1e-15, 1e-14) == "");

  // Causal: row 0 sees itself only, row 1 rows (1, a) of rows 0 and 1, row 2 everything.
  MultiheadSelfAttention causal(2, 1, 0.0, true, true, DType::f64);
  set_identity(causal);
  Tensor want_causal = f64({1, 0, 1 / (1 + a), a / (1 + a), (a + c) / (2 * a + c),
                            (a + c) / (2 * a + c)},
                           {1, 3, 2});
  CHECK(compare(causal.forward(x), want_causal, 1e-15, 1e-14) == "");

  // Two heads of d = 1, one feature each (scale 1). Head 0 sees x_0 = (1, 0, 1): rows 0 and 2
  // weigh (e, 1, e), row 1 weighs all equally. Head 1 sees x_1 = (0, 1, 1), the mirror image.
  double e = std::exp(1.0);
  MultiheadSelfAttention two(2, 2, 0.0, false, true, DType::f64);
  set_identity(two);
  Tensor want_two = f64({2 * e / (2 * e + 1), 2.0 / 3.0, 2.0 / 3.0, 2 * e / (2 * e + 1),
                         2 * e / (2 * e + 1), 2 * e / (2 * e + 1)},
                        {1, 3, 2});
  CHECK(compare(two.forward(x), want_two, 1e-15, 1e-14) == "");
}

TEST_CASE("TransformerBlock matches torch.nn.TransformerEncoderLayer(norm_first=True)",
          "[unit][module][layers]") {
  for (bool causal : {false, true}) {
    std::string name = causal ? "transformer_block_causal" : "transformer_block";
    INFO(name);
    TransformerBlock block(4, 2, 4.0, 0.0, "layer_norm", causal, DType::f64);
    StateDict state;
    for (const std::string& key : kBlockKeys) state[key] = fixture(name, "param." + key);
    block.load_state_dict(state);  // strict: PyTorch's keys are exactly the block's keys
    Tensor x = fixture(name, "in.x").requires_grad_();
    Tensor y = block.forward(x);
    CHECK(compare(y, fixture(name, "out.y"), 1e-12, 1e-10) == "");
    y.backward(fixture(name, "seed.y"));
    CHECK(compare(x.grad(), fixture(name, "grad.x"), 1e-12, 1e-10) == "");
    for (const auto& [key, p] : block.named_parameters()) {
      INFO(key);
      CHECK(compare(p.grad(), fixture(name, "grad." + key), 1e-12, 1e-10) == "");
    }
  }
}

TEST_CASE("TransformerBlock: PyTorch's keys, shapes and initialization",
          "[unit][module][layers]") {
  TransformerBlock block(8, 2);
  CHECK(names(block.named_parameters()) == kBlockKeys);
  CHECK(block.named_buffers().empty());
  StateDict s = block.state_dict();
  CHECK(s.at("self_attn.in_proj_weight").shape() == Shape{24, 8});
  CHECK(s.at("linear1.weight").shape() == Shape{32, 8});
  CHECK(s.at("linear2.weight").shape() == Shape{8, 32});
  // nn.MultiheadAttention: xavier_uniform in_proj_weight (bound sqrt(6 / (8 + 24)) = 0.433),
  // zero projection biases; norms start at weight 1, bias 0.
  CHECK(max(abs(block.self_attn->in_proj_weight)).item() <= std::sqrt(6.0 / 32.0));
  CHECK(max(abs(block.self_attn->in_proj_bias)).item() == 0.0);
  CHECK(max(abs(block.self_attn->out_proj->bias)).item() == 0.0);
  CHECK(min(s.at("norm1.weight")).item() == 1.0);
  CHECK(block.forward(zeros({3, 5, 8})).shape() == Shape{3, 5, 8});

  // mlp_ratio sets the hidden width; rms_norm has a weight and no bias.
  TransformerBlock rms(8, 4, 2.0, 0.0, "rms_norm");
  CHECK(rms.linear1->weight.shape() == Shape{16, 8});
  CHECK(rms.state_dict().count("norm1.weight") == 1);
  CHECK(rms.state_dict().count("norm1.bias") == 0);
  CHECK(rms.forward(draw({2, 3, 8}, 1, DType::f32)).shape() == Shape{2, 3, 8});
}

TEST_CASE("TransformerBlock: every parameter gets a gradient", "[unit][module][layers]") {
  for (const char* norm : {"layer_norm", "rms_norm"}) {
    INFO(norm);
    TransformerBlock block(8, 2, 4.0, 0.0, norm, true);
    Tensor x = draw({2, 5, 8}, 2, DType::f32).requires_grad_();
    sum(block.forward(x) * draw({2, 5, 8}, 3, DType::f32)).backward();
    CHECK(x.grad().defined());
    for (const auto& [key, p] : block.named_parameters()) {
      INFO(key);
      REQUIRE(p.grad().defined());
      CHECK(p.grad().shape() == p.shape());
      CHECK(max(abs(p.grad())).item() > 0.0);
    }
  }
}

TEST_CASE("TransformerBlock: with the causal mask, position t ignores later tokens",
          "[unit][module][layers]") {
  Tensor x = draw({2, 5, 8}, 4);
  Tensor later = x.clone();
  later.select(1, 3).add_(draw({2, 8}, 5));  // change token 3 only
  TransformerBlock causal(8, 2, 4.0, 0.0, "layer_norm", true, DType::f64);
  Tensor y = causal.forward(x), y_later = causal.forward(later);
  CHECK(compare(y.slice(1, 0, 3), y_later.slice(1, 0, 3), 1e-13, 0) == "");
  CHECK(compare(y.slice(1, 3, 5), y_later.slice(1, 3, 5), 1e-6, 0) != "");
  // Without the mask every position sees token 3.
  TransformerBlock full(8, 2, 4.0, 0.0, "layer_norm", false, DType::f64);
  full.load_state_dict(causal.state_dict());
  CHECK(compare(full.forward(x).slice(1, 0, 1), full.forward(later).slice(1, 0, 1), 1e-6, 0) !=
        "");
  // The last position sees everything, so it agrees with the unmasked block.
  CHECK(compare(y.slice(1, 4, 5), full.forward(x).slice(1, 4, 5), 1e-14, 1e-12) == "");
}

TEST_CASE("TransformerBlock: dropout acts in training only, state dicts round trip",
          "[unit][module][layers]") {
  TransformerBlock a(8, 2, 4.0, 0.3, "layer_norm", false, DType::f64);
  TransformerBlock b(8, 2, 4.0, 0.0, "layer_norm", false, DType::f64);
  b.load_state_dict(a.state_dict());
  Tensor x = draw({2, 4, 8}, 6);
  CHECK(compare(a.forward(x), b.forward(x), 1e-6, 0) != "");
  manual_seed(5);
  Tensor first = a.forward(x);
  manual_seed(5);
  CHECK(compare(a.forward(x), first, 0, 0) == "");
  a.eval();
  CHECK(compare(a.forward(x), b.forward(x), 0, 0) == "");
  // Training a changes it; b follows after a round trip.
  a.train();
  sgd_step(a, sum(pow(a.forward(x), 2.0)), 0.01);
  a.eval();
  CHECK(compare(a.forward(x), b.forward(x), 1e-6, 0) != "");
  b.load_state_dict(a.state_dict());
  CHECK(compare(a.forward(x), b.forward(x), 0, 0) == "");
}

TEST_CASE("TransformerBlock and MultiheadSelfAttention: errors name the layer",
          "[unit][module][layers][errors]") {
  CHECK_THROWS_WITH(
      TransformerBlock(6, 4),
      Catch::Contains("[TransformerBlock] dim 6 must be a positive multiple of heads 4"));
  CHECK_THROWS_WITH(TransformerBlock(8, 2, 4.0, 0.0, "batch_norm"),
                    Catch::Contains("[TransformerBlock] norm must be \"layer_norm\" or"));
  CHECK_THROWS_WITH(TransformerBlock(8, 2, 4.0, 1.0),
                    Catch::Contains("[TransformerBlock] dropout"));
  CHECK_THROWS_WITH(TransformerBlock(8, 2, 0.05), Catch::Contains("[TransformerBlock] mlp_ratio"));
  TransformerBlock block(8, 2);
  CHECK_THROWS_WITH(block.forward(zeros({2, 3, 6})),
                    Catch::Contains("[TransformerBlock] expected x [B, T, 8], got [2, 3, 6]"));
  CHECK_THROWS_WITH(block.forward(zeros({3, 8})), Catch::Contains("[TransformerBlock] expected x"));
  CHECK_THROWS_WITH(block.self_attn->forward(zeros({3, 8})),
                    Catch::Contains("[MultiheadSelfAttention] expected x [B, T, 8], got [3, 8]"));
  CHECK_THROWS_WITH(MultiheadSelfAttention(8, 3),
                    Catch::Contains("[MultiheadSelfAttention] dim 8 must be a positive multiple"));
}
