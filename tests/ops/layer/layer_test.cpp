// Layer family (ops/layer/, models/layer/): hand values, the boundary behaviour of
// hyperbolic_mlr in f32 and f64, the reversed AdvStyle gradient, the modules (parameter names,
// lazy state, sampling, state dicts through safetensors) and bad input naming the op. Case
// lists are in the files beside this.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include "core/safetensors.h"
#include "lathe.h"
#include "models/layer/layer.h"
#include "ops/layer/layer.h"

using namespace lathe;

namespace {

Tensor f64(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return from_vector(v, shape, DType::f64);
}

void check_values(const Tensor& t, const std::vector<double>& want, double margin = 1e-12) {
  auto v = t.to_vector<double>();
  REQUIRE(v.size() == want.size());
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == Approx(want[i]).margin(margin));
}

bool all_finite(const Tensor& t) {
  for (double v : t.to_vector<double>())
    if (!std::isfinite(v)) return false;
  return true;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("lathe_layer_" + name)).string();
}

}  // namespace

TEST_CASE("topk_softmax_gating hand values and gradient", "[unit][layer]") {
  Tensor h = f64({1.0, 3.0, 2.0, 0.0, 5.0, -1.0}, {2, 3});
  h.requires_grad_();
  Tensor g = topk_softmax_gating(h, 2);
  double e = std::exp(1.0);
  check_values(g, {0.0, e / (e + 1), 1 / (e + 1), 1 / (1 + std::exp(5.0)),
                   std::exp(5.0) / (1 + std::exp(5.0)), 0.0});
  // d g_1 / d h of row 0: softmax Jacobian on the kept pair, 0 on the dropped logit
  sum(g * f64({0, 1, 0, 0, 0, 0}, {2, 3})).backward();
  double s = e / (e + 1);
  check_values(h.grad(), {0.0, s * (1 - s), -s * (1 - s), 0, 0, 0});
  check_values(topk_softmax_gating(f64({0.3, -2.0, 0.1}), 1), {1.0, 0.0, 0.0});
  CHECK_THROWS_WITH(topk_softmax_gating(f64({1, 2}), 3),
                    Catch::StartsWith("[topk_softmax_gating] k must be in [1, E = 2]"));
  CHECK_THROWS_WITH(topk_softmax_gating(f64({1, 2}), 0),
                    Catch::StartsWith("[topk_softmax_gating]"));
}

TEST_CASE("hyperbolic_mlr hand value at p = 0", "[unit][layer]") {
  // p = 0: P = 0, A = a, lambda = 2, m = x / (1 + 1e-5); c 1, a = (1, 0), x = (0.5, 0)
  Tensor logits = hyperbolic_mlr(f64({0.5, 0.0}, {1, 2}), f64({1.0, 0.0}, {1, 2}),
                                 f64({0.0, 0.0}, {1, 2}), 1.0);
  double m = 0.5 / (1 + 1e-5);
  check_values(logits, {2.0 * std::asinh(2 * m / (1 - m * m))});
  // x on the class's hyperplane through P (orthogonal to a): logit 0
  Tensor on_plane = hyperbolic_mlr(f64({0.0, 0.4}, {1, 2}), f64({1.0, 0.0}, {1, 2}),
                                   f64({0.0, 0.0}, {1, 2}), 1.0);
  check_values(on_plane, {0.0});
}

TEST_CASE("hyperbolic_mlr stays finite at the boundary and the origin in f32 and f64",
          "[unit][layer]") {
  for (DType dt : {DType::f32, DType::f64}) {
    // x: the origin, near the boundary, far outside (projected); p: zero, moderate, huge
    Tensor x = from_vector(std::vector<double>{0, 0, 0.7, 0.714, 30, -40, 1e-7, 0}, {4, 2}, dt);
    Tensor a = from_vector(std::vector<double>{1, -1, 0.5, 2, 0, 0}, {3, 2}, dt);
    Tensor p = from_vector(std::vector<double>{0, 0, 0.3, -0.2, 300, 400}, {3, 2}, dt);
    for (double c : {0.1, 1.0}) {
      Tensor xs = x.detach(), as = a.detach(), ps = p.detach();
      xs.requires_grad_();
      as.requires_grad_();
      ps.requires_grad_();
      Tensor logits = hyperbolic_mlr(xs, as, ps, c);
      CHECK(all_finite(logits));
      sum(logits).backward();
      CHECK(all_finite(xs.grad()));
      CHECK(all_finite(as.grad()));
      CHECK(all_finite(ps.grad()));
      // a = 0 (third class): the logit is exactly 0, not 0/0
      auto v = logits.to_vector<double>();
      for (int i = 0; i < 4; ++i) CHECK(v[i * 3 + 2] == 0.0);
    }
  }
}

TEST_CASE("hyperbolic_mlr bad input names the op", "[unit][layer]") {
  Tensor x = f64({0.1, 0.2}, {1, 2}), a = f64({1, 0}, {1, 2}), p = f64({0, 0.1}, {1, 2});
  CHECK_THROWS_WITH(hyperbolic_mlr(x, a, p, 0.0),
                    Catch::StartsWith("[hyperbolic_mlr] c must be > 0"));
  CHECK_THROWS_WITH(hyperbolic_mlr(x, a, p, -1.0), Catch::StartsWith("[hyperbolic_mlr]"));
  CHECK_THROWS_WITH(hyperbolic_mlr(f64({0.1, 0.2, 0.3}, {1, 3}), a, p),
                    Catch::StartsWith("[hyperbolic_mlr] x must be [..., D] with D = 2"));
  CHECK_THROWS_WITH(hyperbolic_mlr(x, a, f64({0, 0.1, 0, 0}, {2, 2})),
                    Catch::StartsWith("[hyperbolic_mlr]"));
  CHECK_THROWS_WITH(hyperbolic_mlr(x, f64({1, 0}), f64({0, 0.1})),
                    Catch::StartsWith("[hyperbolic_mlr] a must be [C, D]"));
}

TEST_CASE("HyperbolicMLR module: Hyp-OC's names, init bounds, safetensors round trip",
          "[unit][layer]") {
  manual_seed(7);
  nn::HyperbolicMLR head(4, 2, 0.1, DType::f64);
  auto params = head.named_parameters();
  REQUIRE(params.size() == 2);
  CHECK(params[0].first == "a_vals");
  CHECK(params[1].first == "p_vals");
  CHECK(head.a_vals.shape() == Shape{2, 4});
  for (double v : head.p_vals.to_vector<double>()) CHECK(std::abs(v) <= 0.5);
  Tensor x = f64({0.1, -0.2, 0.3, 0.0, -0.5, 0.2, 0.1, 0.4}, {2, 4});
  Tensor want = head(x);
  CHECK(want.shape() == Shape{2, 2});
  check_values(want, hyperbolic_mlr(x, head.a_vals, head.p_vals, 0.1).to_vector<double>());
  std::string path = temp_path("hmlr.safetensors");
  save_safetensors(path, head.state_dict());
  nn::HyperbolicMLR other(4, 2, 0.1, DType::f64);
  other.load_state_dict(load_safetensors(path).tensors);
  std::filesystem::remove(path);
  check_values(other(x), want.to_vector<double>());
}

TEST_CASE("nested_dropout hand values, sampling and bad input", "[unit][layer]") {
  Tensor x = f64({1, 2, 3, 4, 5, 6}, {2, 3});
  check_values(nested_dropout(x, 2), {1, 2, 0, 4, 5, 0});
  check_values(nested_dropout(x, 1, 0), {1, 2, 3, 0, 0, 0});
  Tensor xg = f64({1, 2, 3}, {1, 3});
  xg.requires_grad_();
  sum(nested_dropout(xg, 2, -1)).backward();
  check_values(xg.grad(), {1, 1, 0});
  // P(k) ~ exp(-k^2) for D 4, sigma 1, mu 0: cumulative 0.9522, 0.99964, 0.999997, 1
  CHECK(nested_dropout_sample_k(4, 1.0, 0.0, 0.0) == 1);
  CHECK(nested_dropout_sample_k(4, 1.0, 0.0, 0.95) == 1);
  CHECK(nested_dropout_sample_k(4, 1.0, 0.0, 0.99) == 2);
  CHECK(nested_dropout_sample_k(4, 1.0, 0.0, 0.9999) == 3);
  CHECK(nested_dropout_sample_k(4, 1.0, 0.0, 0.9999999) == 4);
  // a wide sigma is close to uniform (cumulative 0.2, 0.4, 0.6, ...)
  CHECK(nested_dropout_sample_k(5, 1e6, 0.0, 0.61) == 4);
  CHECK(nested_dropout_sample_k(5, 1e6, 0.0, 0.59) == 3);
  CHECK_THROWS_WITH(nested_dropout(x, 4), Catch::StartsWith("[nested_dropout] k must be in [1"));
  CHECK_THROWS_WITH(nested_dropout(x, 0), Catch::StartsWith("[nested_dropout]"));
  CHECK_THROWS_WITH(nested_dropout(x, 1, 2), Catch::StartsWith("[nested_dropout] axis 2"));
  CHECK_THROWS_WITH(nested_dropout_sample_k(4, 0.0, 0.0, 0.5),
                    Catch::StartsWith("[nested_dropout] sigma must be > 0"));
}

TEST_CASE("NestedDropout module: a drawn k in training, all or eval_k channels in eval",
          "[unit][layer]") {
  Generator gen(3);
  nn::NestedDropout drop(2.0, 0.0, 1, 2, &gen);
  CHECK(drop.named_parameters().empty());
  Tensor x = ones({2, 6, 2}, DType::f64);
  for (int t = 0; t < 5; ++t) {
    Tensor y = drop(x);
    int64_t k = drop.last_k();
    REQUIRE(k >= 1);
    REQUIRE(k <= 6);
    CHECK(sum(y).item() == Approx(2.0 * 2.0 * k));
  }
  drop.eval();
  CHECK(sum(drop(x)).item() == Approx(2.0 * 2.0 * 2));
  nn::NestedDropout all(2.0);
  all.eval();
  CHECK(sum(all(x)).item() == Approx(24.0));
}

TEST_CASE("adv_style hand values and its reversed s gradient", "[unit][layer]") {
  // eps = 0: x is rebuilt from its own statistics
  Tensor x = f64({1, 2, 4, 7, -1, 0, 3, 2}, {1, 2, 2, 2});
  Tensor s = f64({0.5, 0.5}, {1, 2, 1, 1});
  Tensor zero = zeros({1, 2, 1, 1}, DType::f64);
  check_values(adv_style(x, s, s, zero, zero), x.to_vector<double>(), 1e-12);
  // eps_mu shifts the mean by eps_mu s_mu; d sum(y) / d s_mu = -coeff sum_B eps_mu H W
  Tensor xs = f64({1, 2, 4, 7, -1, 0, 3, 2, 0, 1, 1, 5, 2, 2, 3, 9}, {2, 2, 2, 2});
  Tensor s_mu = f64({0.5, 0.25}, {1, 2, 1, 1}), s_sig = f64({0.3, 0.1}, {1, 2, 1, 1});
  s_mu.requires_grad_();
  s_sig.requires_grad_();
  Tensor e_mu = f64({1.0, -2.0, 0.5, 1.5}, {2, 2, 1, 1});
  Tensor e_sig = f64({0.0, 0.0, 0.0, 0.0}, {2, 2, 1, 1});
  Tensor y = adv_style(xs, s_mu, s_sig, e_mu, e_sig, 2.0);
  check_values(sum(y - xs, {0, 2, 3}), {4 * (1.0 * 0.5 + 0.5 * 0.5), 4 * (-2 + 1.5) * 0.25},
               1e-12);
  sum(y).backward();
  check_values(s_mu.grad(), {-2.0 * 4 * (1.0 + 0.5), -2.0 * 4 * (-2.0 + 1.5)});
  // with eps_sigma 0 the std gradient is 0 (x^ sums to 0 anyway)
  check_values(s_sig.grad(), {0.0, 0.0});
}

TEST_CASE("adv_style bad input names the op", "[unit][layer]") {
  Tensor s = zeros({1, 2, 1, 1}, DType::f64), e = zeros({2, 2, 1, 1}, DType::f64);
  CHECK_THROWS_WITH(adv_style(zeros({2, 2, 1, 1}, DType::f64), s, s, e, e),
                    Catch::StartsWith("[adv_style] needs at least 2 spatial positions"));
  CHECK_THROWS_WITH(adv_style(zeros({2, 2, 3, 3}, DType::f64), zeros({1, 3, 1, 1}, DType::f64),
                              s, e, e),
                    Catch::StartsWith("[adv_style]"));
  CHECK_THROWS_WITH(adv_style(zeros({2, 2, 3, 3}, DType::f64), s, s, zeros({1, 2, 1, 1}), e),
                    Catch::StartsWith("[adv_style]"));
  CHECK_THROWS_WITH(adv_style(zeros({2, 2}, DType::f64), s, s, e, e),
                    Catch::StartsWith("[adv_style] x must be [B, C, H, W]"));
  CHECK_THROWS_WITH(adv_style_init(zeros({1, 2, 3, 3}, DType::f64)),
                    Catch::StartsWith("[adv_style] initializing s needs a batch of at least 2"));
}

TEST_CASE("AdvStyle module: lazy init from the batch, eval identity, state kept on load",
          "[unit][layer]") {
  Generator gen(11);
  manual_seed(5);
  Tensor x = normal({4, 3, 3, 3}, 0.5, 2.0, DType::f64);
  nn::AdvStyle style(3, 1.0, 1e-6, DType::f64, default_device(), &gen);
  auto params = style.named_parameters();
  REQUIRE(params.size() == 2);
  CHECK(params[0].first == "s_mu");
  CHECK(params[1].first == "s_sigma");
  CHECK(sum(abs(style.s_mu)).item() == 0.0);
  Tensor y = style(x);
  CHECK(y.shape() == x.shape());
  auto [mu0, sigma0] = adv_style_init(x);
  check_values(style.s_mu, mu0.to_vector<double>());
  check_values(style.s_sigma, sigma0.to_vector<double>());
  CHECK(sum(abs(y - x)).item() > 1e-3);
  style.eval();
  check_values(style(x), x.to_vector<double>());

  std::string path = temp_path("advstyle.safetensors");
  save_safetensors(path, style.state_dict());
  nn::AdvStyle loaded(3, 1.0, 1e-6, DType::f64);
  loaded.load_state_dict(load_safetensors(path).tensors);
  std::filesystem::remove(path);
  loaded(normal({4, 3, 3, 3}, 0.0, 1.0, DType::f64));  // a training call: no re-init
  check_values(loaded.s_mu, mu0.to_vector<double>());
  check_values(loaded.s_sigma, sigma0.to_vector<double>());
}

TEST_CASE("channel_shuffle hand values and bad input", "[unit][layer]") {
  Tensor a = f64({1, 2, 3, 4}, {2, 2}), b = f64({5, 6, 7, 8}, {2, 2});
  auto [c1, c2] = channel_shuffle(a, b, from_vector(std::vector<bool>{true, false}, {2}));
  check_values(c1, {5, 6, 3, 4});
  check_values(c2, {1, 2, 7, 8});
  CHECK_THROWS_WITH(channel_shuffle(a, b, f64({1, 0})),
                    Catch::StartsWith("[channel_shuffle] mask must be bool"));
  CHECK_THROWS_WITH(channel_shuffle(a, b, from_vector(std::vector<bool>{true}, {1})),
                    Catch::StartsWith("[channel_shuffle] mask must be [B] with B = 2"));
  CHECK_THROWS_WITH(channel_shuffle(a, f64({1, 2}), from_vector(std::vector<bool>{1, 0}, {2})),
                    Catch::StartsWith("[channel_shuffle]"));
}

TEST_CASE("spark_ffn hand value, sparsity and bad input", "[unit][layer]") {
  // d 3, r 1, F 4, k 2 (k/F 0.5: theta = the row mean of pred)
  Tensor x = f64({1.0, 2.0, -1.0}, {1, 3});
  Tensor k1 = f64({1.0, 2.0, 3.0, 6.0}, {1, 4});    // pred = (1, 2, 3, 6), mean 3
  Tensor k2 = f64({1, 0, 1, 0, 0, 1, 0, 1}, {2, 4});  // value = (2, -1, 2, -1)
  Tensor v = f64({1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, {4, 3});
  // a = relu(pred - 3) = (0, 0, 0, 3); h = gelu(a) value = (0, 0, 0, -gelu(3))
  double g3 = 3.0 * 0.5 * (1.0 + std::erf(3.0 / std::sqrt(2.0)));
  check_values(spark_ffn(x, k1, k2, v, 2), {-g3, -g3, -g3});
  CHECK_THROWS_WITH(spark_ffn(x, k1, k2, v, 4), Catch::StartsWith("[spark_ffn] k must be in"));
  CHECK_THROWS_WITH(spark_ffn(x, f64({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {3, 4}), k2, v, 2),
                    Catch::StartsWith("[spark_ffn] the predictor width r"));
  CHECK_THROWS_WITH(spark_ffn(x, k1, f64({1, 2, 3, 4}, {1, 4}), v, 2),
                    Catch::StartsWith("[spark_ffn] k2 must be [d - r, F]"));
  nn::SparkFFN ffn(6, 16, 2, 3, DType::f64);
  CHECK(ffn.named_parameters().size() == 3);
  CHECK(ffn(normal({4, 6}, 0.0, 1.0, DType::f64)).shape() == Shape{4, 6});
}

TEST_CASE("s4_conv_kernel hand value and S4D's FFT convolution", "[unit][layer]") {
  // one mode, A = -1 (log_A_real 0, A_imag 0), dt = 1, C = 1: K_l = 2 (e^-1 - 1)/(-1) e^-l
  Tensor k = s4_conv_kernel(f64({0.0}), f64({0.0}, {1, 1}), f64({0.0}, {1, 1}),
                            f64({1.0, 0.0}, {1, 1, 2}), 3);
  double c0 = 2.0 * (1.0 - std::exp(-1.0));
  check_values(k, {c0, c0 * std::exp(-1.0), c0 * std::exp(-2.0)});
  // the FFT convolution is the causal one: y_t = sum_{s <= t} K_s u_{t-s} + D u_t
  Tensor kk = f64({0.5, -1.0, 2.0, 0.25}, {1, 4});
  Tensor u = f64({1.0, 2.0, -1.0, 3.0, 0.0, 1.0, 1.0, -2.0}, {2, 1, 4});
  Tensor y = nn::s4_causal_conv(u, kk, f64({0.1}));
  auto uv = u.to_vector<double>(), kv = kk.to_vector<double>();
  std::vector<double> want;
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < 4; ++t) {
      double acc = 0.1 * uv[b * 4 + t];
      for (int s = 0; s <= t; ++s) acc += kv[s] * uv[b * 4 + t - s];
      want.push_back(acc);
    }
  check_values(y, want, 1e-10);
  CHECK_THROWS_WITH(s4_conv_kernel(f64({0.0}), f64({0.0}, {1, 1}), f64({0.0}, {1, 1}),
                                   f64({1.0, 0.0}, {1, 1, 2}), 0),
                    Catch::StartsWith("[s4_conv_kernel] L must be >= 1"));
  CHECK_THROWS_WITH(s4_conv_kernel(f64({0.0}), f64({0.0}, {1, 1}), f64({0.0}, {1, 1}),
                                   f64({1.0}, {1, 1, 1}), 4),
                    Catch::StartsWith("[s4_conv_kernel]"));
}

TEST_CASE("S4D module: s4d.py's names, S4D-Lin init, safetensors round trip", "[unit][layer]") {
  manual_seed(2);
  nn::S4D layer(3, 8, 1e-3, 1e-1, DType::f64);
  std::vector<std::string> names;
  for (auto& [name, t] : layer.named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"D", "kernel.C", "kernel.log_dt", "kernel.log_A_real",
                                          "kernel.A_imag", "output_linear.0.weight",
                                          "output_linear.0.bias"});
  CHECK(layer.kernel->C.shape() == Shape{3, 4, 2});
  check_values(layer.kernel->A_imag.select(0, 1), {0.0, M_PI, 2 * M_PI, 3 * M_PI});
  for (double v : layer.kernel->log_dt.to_vector<double>()) {
    CHECK(v >= std::log(1e-3));
    CHECK(v <= std::log(1e-1));
  }
  Tensor u = normal({2, 3, 10}, 0.0, 1.0, DType::f64);
  Tensor y = layer(u);
  CHECK(y.shape() == Shape{2, 3, 10});
  std::string path = temp_path("s4d.safetensors");
  save_safetensors(path, layer.state_dict());
  nn::S4D other(3, 8, 1e-3, 1e-1, DType::f64);
  other.load_state_dict(load_safetensors(path).tensors);
  std::filesystem::remove(path);
  check_values(other(u), y.to_vector<double>());
}

TEST_CASE("SlotAttention module: Slot-TTA's names, forward = the op, round trip",
          "[unit][layer]") {
  manual_seed(4);
  nn::SlotAttention slots(3, 4, 3, 1e-8, 4, DType::f64);
  std::vector<std::string> names;
  for (auto& [name, t] : slots.named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{
                     "slots_mu", "to_q.weight", "to_q.bias", "to_k.weight", "to_k.bias",
                     "to_v.weight", "to_v.bias", "gru.weight_ih", "gru.weight_hh",
                     "gru.bias_ih", "gru.bias_hh", "fc1.weight", "fc1.bias", "fc2.weight",
                     "fc2.bias", "norm_pre_ff.weight", "norm_pre_ff.bias", "norm_slots.weight",
                     "norm_slots.bias", "norm_input.weight", "norm_input.bias"});
  Tensor x = normal({2, 5, 4}, 0.0, 1.0, DType::f64);
  Tensor s = slots(x);
  CHECK(s.shape() == Shape{2, 3, 4});
  Tensor attn = slots.last_attention();
  CHECK(attn.shape() == Shape{2, 3, 5});
  // normalized over the inputs: every slot's weights sum to 1
  check_values(sum(attn, {-1}), std::vector<double>(6, 1.0), 1e-12);
  // the shared slots_mu: two equal samples give equal slots
  Tensor x2 = concat({x.narrow(0, 0, 1), x.narrow(0, 0, 1)}, 0);
  Tensor s2 = slots(x2);
  check_values(s2.narrow(0, 1, 1), s2.narrow(0, 0, 1).to_vector<double>(), 1e-12);
  std::string path = temp_path("slots.safetensors");
  save_safetensors(path, slots.state_dict());
  nn::SlotAttention other(3, 4, 3, 1e-8, 4, DType::f64);
  other.load_state_dict(load_safetensors(path).tensors);
  std::filesystem::remove(path);
  check_values(other(x), s.to_vector<double>());
  CHECK_THROWS_WITH(slots(normal({2, 5, 3}, 0.0, 1.0, DType::f64)),
                    Catch::StartsWith("[slot_attention]"));
  CHECK_THROWS_WITH(slot_attention(x, slots.slots_mu, slots.params(), 0),
                    Catch::StartsWith("[slot_attention] iters must be >= 1"));
}

TEST_CASE("scattering_transform_2d: ScatSimCLR's K = 81, a constant image, bad input",
          "[unit][layer]") {
  // J 2, L 8 on [B, C, 16, 16]: K = 1 + 8 * 2 + 64 = 81 maps of 4 x 4 per channel
  Tensor x = normal({2, 3, 16, 16}, 0.0, 1.0, DType::f64);
  CHECK(scattering_transform_2d(x).shape() == Shape{2, 3, 81, 4, 4});
  // a constant c: S0 = c times phi's mean, pi / 3.1415 (Kymatio's normalizing constant);
  // the Morlet wavelets have zero mean, so every S1 and S2 is 0
  Tensor c = full({1, 12, 12}, 0.5, DType::f64);
  c.requires_grad_();
  Tensor s = scattering_transform_2d(c, 2, 4);
  REQUIRE(s.shape() == Shape{1, 1 + 8 + 16, 3, 3});
  check_values(s.narrow(1, 0, 1), std::vector<double>(9, 0.5 * M_PI / 3.1415), 1e-9);
  check_values(s.narrow(1, 1, 24), std::vector<double>(24 * 9, 0.0), 1e-9);
  // |z| at z = 0 has gradient 0 (Kymatio's ModulusStable): finite everywhere
  Tensor z = zeros({1, 8, 8}, DType::f64);
  z.requires_grad_();
  sum(scattering_transform_2d(z, 2, 2)).backward();
  CHECK(all_finite(z.grad()));
  CHECK_THROWS_WITH(scattering_transform_2d(x, 0),
                    Catch::StartsWith("[scattering_transform_2d] J must be in [1, 8]"));
  CHECK_THROWS_WITH(scattering_transform_2d(x, 2, 0),
                    Catch::StartsWith("[scattering_transform_2d] L must be >= 1"));
  CHECK_THROWS_WITH(scattering_transform_2d(x, 2, 8, 3),
                    Catch::StartsWith("[scattering_transform_2d] max_order must be 1 or 2"));
  CHECK_THROWS_WITH(scattering_transform_2d(zeros({1, 4, 4}, DType::f64), 2),
                    Catch::StartsWith("[scattering_transform_2d] the image 4 x 4 is too small"));
  CHECK_THROWS_WITH(scattering_transform_2d(zeros({16}, DType::f64)),
                    Catch::StartsWith("[scattering_transform_2d] x must be [..., H, W]"));
}
