// Reparam family (ops/reparam/, models/reparam.h) and ShiftQuant (ops/quant/shiftquant.cpp):
// hand values, sigmaReparam's defined gradient against finite differences with u and v frozen,
// orthogonality, the modules' keys, init and safetensors round trips, a resumed SNLinear, and
// bad input naming the op. The case lists are in the files beside this.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "core/safetensors.h"
#include "lathe.h"
#include "tests/support/fixture_group.h"
#include "models/reparam.h"
#include "ops/linalg/linalg.h"
#include "ops/quant/quant.h"
#include "ops/reparam/reparam.h"

using namespace lathe;
using Catch::StartsWith;

namespace {

Tensor f64(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return from_vector(v, shape, DType::f64);
}

Tensor draw(Shape shape, uint64_t seed, double scale = 1.0) {
  Generator gen(seed);
  return randn(shape, DType::f64, default_device(), &gen) * scale;
}

void check_values(const Tensor& t, const std::vector<double>& want, double tol = 1e-12) {
  auto v = t.to(DType::f64).to_vector<double>();
  REQUIRE(v.size() == want.size());
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == Approx(want[i]).margin(tol));
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  return max(abs(a.to(DType::f64) - b.to(DType::f64))).item();
}

// Saves a module's state dict, loads it into `into` strictly; returns the file's keys.
std::vector<std::string> round_trip(const nn::Module& from, nn::Module& into,
                                    const std::string& stem) {
  std::string path = (std::filesystem::temp_directory_path() / (stem + ".safetensors")).string();
  save_safetensors(path, from.state_dict());
  SafetensorsFile file = load_safetensors(path);
  std::filesystem::remove(path);
  into.load_state_dict(file.tensors);
  std::vector<std::string> keys;
  for (const auto& [k, t] : file.tensors) keys.push_back(k);
  return keys;
}

Tensor linalg_eye(int64_t n) {
  std::vector<double> v(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i * n + i)] = 1.0;
  return f64(v, {n, n});
}

double linalg_top(const Tensor& w) { return svdvals(w.detach()).to_vector<double>()[0]; }

}  // namespace

TEST_CASE("lora_linear hand values: LoRA, rsLoRA and DoRA", "[unit][reparam]") {
  Tensor x = f64({1.0, 2.0}, {1, 2});
  Tensor w = f64({1.0, 0.0, 0.0, 1.0}, {2, 2});
  Tensor a = f64({1.0, 1.0}, {1, 2});
  Tensor b = f64({1.0, 2.0}, {2, 1});
  LoraOptions o;
  o.alpha = 1.0;
  // x + B (A x) = [1, 2] + [3, 6]
  check_values(lora_linear(x, w, Tensor(), a, b, Tensor(), o), {4.0, 8.0});
  check_values(lora_linear(x, w, f64({0.5, -0.5}), a, b, Tensor(), o), {4.5, 7.5});
  o.alpha = 4.0;  // r 1: alpha / r = alpha / sqrt(r) = 4
  o.rs = true;
  check_values(lora_linear(x, w, Tensor(), a, b, Tensor(), o), {13.0, 26.0});
  // DoRA with B = 0: W + s B A = I, row norms 1, y = m x + bias
  LoraOptions d;
  Tensor zero_b = f64({0.0, 0.0}, {2, 1});
  check_values(lora_linear(x, w, f64({1.0, 1.0}), a, zero_b, f64({2.0, 3.0}), d), {3.0, 7.0});
  // the DoRA norm is detached: d y / d m = (x W^T) / ||W||_row, nothing else through W
  Tensor m = f64({2.0, 3.0});
  m.requires_grad_();
  Tensor w2 = f64({3.0, 4.0, 0.0, 2.0}, {2, 2});
  w2.requires_grad_();
  sum(lora_linear(x, w2, Tensor(), a, zero_b, m, d)).backward();
  check_values(m.grad(), {11.0 / 5.0, 4.0 / 2.0});
  check_values(w2.grad(), {2.0 / 5.0, 4.0 / 5.0, 3.0 / 2.0, 6.0 / 2.0});
}

TEST_CASE("lora_linear bad input names the op", "[unit][reparam]") {
  Tensor x = draw({2, 3}, 1), w = draw({4, 3}, 2), a = draw({2, 3}, 3), b = draw({4, 2}, 4);
  LoraOptions o;
  CHECK_THROWS_WITH(lora_linear(draw({2, 5}, 5), w, Tensor(), a, b, Tensor(), o),
                    StartsWith("[lora_linear] x's last dim"));
  CHECK_THROWS_WITH(lora_linear(x, w, Tensor(), draw({2, 4}, 6), b, Tensor(), o),
                    StartsWith("[lora_linear] lora_a must be"));
  CHECK_THROWS_WITH(lora_linear(x, w, Tensor(), a, draw({4, 3}, 7), Tensor(), o),
                    StartsWith("[lora_linear] lora_b must be"));
  Tensor zero_row = f64({0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, {4, 3});
  CHECK_THROWS_WITH(lora_linear(x, zero_row, Tensor(), a, zeros({4, 2}, DType::f64),
                                draw({4}, 8), o),
                    StartsWith("[lora_linear] DoRA: a row of W + s B A has norm 0"));
  o.p = 1.0;
  CHECK_THROWS_WITH(lora_linear(x, w, Tensor(), a, b, Tensor(), o),
                    StartsWith("[lora_linear] p must be in [0, 1)"));
  nn::LoraLinearOptions lo;
  lo.r = 4;
  CHECK_THROWS_WITH(nn::LoraLinear(3, 5, lo), StartsWith("[LoraLinear] r must be in [1, min"));
}

TEST_CASE("LoraLinear: peft keys, frozen base, identity at init, round trip", "[unit][reparam]") {
  manual_seed(3);
  nn::LoraLinearOptions o;
  o.r = 2;
  o.dtype = DType::f64;
  nn::LoraLinear layer(5, 3, o);
  std::vector<std::string> keys;
  for (const auto& [k, t] : layer.state_dict()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"base_layer.bias", "base_layer.weight", "lora_A.weight",
                                         "lora_B.weight"});
  CHECK_FALSE(layer.base_layer->weight.requires_grad());
  CHECK(layer.lora_A->weight.requires_grad());
  Tensor x = draw({4, 5}, 11);
  CHECK(max_abs_diff(layer(x), linear(x, layer.base_layer->weight, layer.base_layer->bias)) == 0);
  // one step moves only the adapter (B first: A's gradient is 0 while B = 0)
  Tensor loss = sum(layer(x) * draw({4, 3}, 12));
  loss.backward();
  CHECK_FALSE(layer.base_layer->weight.grad().defined());
  CHECK(max(abs(layer.lora_B->weight.grad())).item() > 0.0);
  {
    NoGradGuard no_grad;
    layer.lora_B->weight.sub_(layer.lora_B->weight.grad() * 0.1);
  }
  nn::LoraLinear copy(5, 3, o);
  round_trip(layer, copy, "lathe_lora_linear");
  CHECK(max_abs_diff(copy(x), layer(x)) == 0);
  Tensor merged = linear(x, layer.merged_weight(), layer.base_layer->bias);
  CHECK(max_abs_diff(merged, layer(x)) < 1e-12);
  o.dora = true;
  nn::LoraLinear dora(5, 3, o);
  CHECK(dora.state_dict().count("lora_magnitude_vector") == 1);
  CHECK(max_abs_diff(dora(x), linear(x, dora.base_layer->weight, dora.base_layer->bias)) < 1e-12);
}

TEST_CASE("zero_mean_linear: zero-mean outputs, out 1 gives 0", "[unit][reparam]") {
  Tensor y = zero_mean_linear(draw({3, 4}, 1), draw({5, 4}, 2), draw({5}, 3));
  check_values(mean(y, {-1}), {0.0, 0.0, 0.0}, 1e-14);
  check_values(zero_mean_linear(draw({2, 3}, 4), draw({1, 3}, 5), draw({1}, 6)), {0.0, 0.0});
  CHECK_THROWS_WITH(zero_mean_linear(draw({2, 3}, 4), draw({2, 4}, 5), Tensor()),
                    StartsWith("[zero_mean_linear] x's last dim"));
  nn::ZeroMeanLinear layer(4, 3, true, DType::f64);
  CHECK(layer.state_dict().size() == 2);
  check_values(sum(layer(draw({2, 4}, 7)), {-1}), {0.0, 0.0}, 1e-14);
}

TEST_CASE("sigma_reparam hand values, eval keeps u", "[unit][reparam]") {
  Tensor w = f64({3.0, 0.0, 0.0, 1.0}, {2, 2});
  Tensor u = f64({0.6, 0.8});
  SigmaReparamResult r = sigma_reparam(w, f64({1.5}, {1}), u, true);
  // v = normalize(W u) = (0.9, 0.4)(2.24/..): check sigma against the formula directly
  double v0 = 1.8 / std::hypot(1.8, 0.8), v1 = 0.8 / std::hypot(1.8, 0.8);
  double u0 = 3 * v0 / std::hypot(3 * v0, v1), u1 = v1 / std::hypot(3 * v0, v1);
  double sigma = 3 * v0 * u0 + v1 * u1;
  check_values(r.sigma, {sigma});
  check_values(r.u, {u0, u1});
  check_values(r.weight, {4.5 / sigma, 0.0, 0.0, 1.5 / sigma});
  SigmaReparamResult e = sigma_reparam(w, f64({1.5}, {1}), u, false);
  check_values(e.u, {0.6, 0.8});
  check_values(e.sigma, {sigma});
  CHECK_THROWS_WITH(sigma_reparam(w, f64({1.0, 2.0}), u), StartsWith("[sigma_reparam] gamma"));
  CHECK_THROWS_WITH(sigma_reparam(w, f64({1.0}), f64({1.0, 0.0, 0.0})),
                    StartsWith("[sigma_reparam] u"));
}

TEST_CASE("sigma_reparam gradient: finite differences with u and v frozen", "[unit][reparam]") {
  Tensor w0 = draw({4, 3}, 21), u = draw({3}, 22), g = draw({4, 3}, 23);
  Tensor gamma = f64({0.7}, {1});
  gamma.requires_grad_();
  Tensor w = w0.clone();
  w.requires_grad_();
  SigmaReparamResult r = sigma_reparam(w, gamma, u, true);
  sum(r.weight * g).backward();
  // the frozen vectors at the base point
  Tensor v = normalize(matmul(w0, u), 2.0, 0);
  Tensor un = normalize(matmul(transpose(w0, 0, 1), v), 2.0, 0);
  auto frozen = [&](const Tensor& wp, double gam) {
    return (sum(gam * wp / sum(matmul(wp, un) * v) * g)).item();
  };
  std::vector<double> base = w0.to_vector<double>(), grad = w.grad().to_vector<double>();
  const double h = 1e-6;
  for (size_t i = 0; i < base.size(); ++i) {
    std::vector<double> plus = base, minus = base;
    plus[i] += h;
    minus[i] -= h;
    double fd = (frozen(f64(plus, {4, 3}), 0.7) - frozen(f64(minus, {4, 3}), 0.7)) / (2 * h);
    CHECK(grad[i] == Approx(fd).margin(1e-7));
  }
  double fd_gamma = (frozen(w0, 0.7 + h) - frozen(w0, 0.7 - h)) / (2 * h);
  CHECK(gamma.grad().item() == Approx(fd_gamma).margin(1e-7));
}

TEST_CASE("SNLinear: W_hat = W at init, keys, a resumed module continues bit for bit",
          "[unit][reparam]") {
  manual_seed(5);
  nn::SNLinear a(6, 4, true, 1.0, DType::f64);
  std::vector<std::string> keys;
  for (const auto& [k, t] : a.state_dict()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"bias", "effective_spectral_norm", "sigma",
                                         "spectral_normed_weight.spectral_norm",
                                         "spectral_normed_weight.u", "weight"});
  // gamma = sigma_0 and u the top singular vector: the reparameterized weight is W
  CHECK(max_abs_diff(a.reparameterized_weight(), a.weight) < 1e-12);
  CHECK(a.spectral_norm.item() == Approx(linalg_top(a.weight)).epsilon(1e-12));
  auto steps = [](nn::SNLinear& m, int n) {
    std::vector<double> out;
    for (int i = 0; i < n; ++i) {
      Tensor y = m(draw({3, 6}, 100 + i));
      Tensor loss = sum(y * y);
      m.zero_grad();
      loss.backward();
      NoGradGuard no_grad;
      for (Tensor& p : m.parameters()) p.sub_(p.grad() * 0.05);
      out.push_back(loss.item());
    }
    return out;
  };
  steps(a, 3);
  nn::SNLinear b(6, 4, true, 1.0, DType::f64);
  round_trip(a, b, "lathe_sn_linear");
  std::vector<double> la = steps(a, 3), lb = steps(b, 3);
  CHECK(la == lb);
  CHECK(max_abs_diff(a.u, b.u) == 0);
  a.eval();
  Tensor u_before = a.u.clone();
  a(draw({2, 6}, 9));
  CHECK(max_abs_diff(a.u, u_before) == 0);
}

TEST_CASE("orthogonal_linear: orthogonal for every map, matrix_exp hand values",
          "[unit][reparam]") {
  check_values(matrix_exp(f64({1.0, 0.0, 0.0, 2.0}, {2, 2})),
               {std::exp(1.0), 0.0, 0.0, std::exp(2.0)}, 1e-12);
  // exp([[0, t], [-t, 0]]) is the rotation by t
  check_values(matrix_exp(f64({0.0, 3.0, -3.0, 0.0}, {2, 2})),
               {std::cos(3.0), std::sin(3.0), -std::sin(3.0), std::cos(3.0)}, 1e-12);
  for (const char* kind : {"matrix_exp", "cayley", "householder"}) {
    INFO(kind);
    // householder reads trunc(diag(X)) as column signs: keep the diagonal near -1.5
    Tensor x = draw({5, 3}, 31, 0.1) +
               f64({-1.5, 0, 0, 0, -1.5, 0, 0, 0, -1.5, 0, 0, 0, 0, 0, 0}, {5, 3});
    Tensor q = orthogonal_linear(x, Tensor(), kind);
    CHECK(max_abs_diff(matmul(transpose(q, 0, 1), q), linalg_eye(3)) < 1e-12);
    Tensor wide = orthogonal_linear(transpose(x, 0, 1), Tensor(), kind);
    CHECK(max_abs_diff(matmul(wide, transpose(wide, 0, 1)), linalg_eye(3)) < 1e-12);
  }
  CHECK_THROWS_WITH(orthogonal_linear(draw({3, 3}, 1), Tensor(), "qr"),
                    StartsWith("[orthogonal_linear] kind must be"));
  CHECK_THROWS_WITH(orthogonal_linear(draw({3, 3}, 1), draw({2, 2}, 2)),
                    StartsWith("[orthogonal_linear] base"));
}

TEST_CASE("OrthogonalLinear: PyTorch keys, initial weight is the orthogonalized init",
          "[unit][reparam]") {
  for (auto [in, out] : std::vector<std::pair<int64_t, int64_t>>{{4, 4}, {5, 3}, {3, 5}}) {
    manual_seed(7);
    nn::OrthogonalLinear layer(in, out, true, "", DType::f64);
    CHECK(layer.map == (in == out ? "matrix_exp" : "householder"));
    std::vector<std::string> keys;
    for (const auto& [k, t] : layer.state_dict()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"bias", "parametrizations.weight.0.base",
                                           "parametrizations.weight.original"});
    Tensor w = layer.weight();  // [out, in], orthonormal rows or columns
    Tensor gram = out >= in ? matmul(transpose(w, 0, 1), w) : matmul(w, transpose(w, 0, 1));
    CHECK(max_abs_diff(gram, linalg_eye(std::min(in, out))) < 1e-12);
    // base[:, :k] (transposed back for a wide weight)
    Tensor cols = narrow(layer.base, 1, 0, std::min(in, out));
    CHECK(max_abs_diff(w, out >= in ? cols : transpose(cols, 0, 1)) < 1e-12);
    nn::OrthogonalLinear copy(in, out, true, "", DType::f64);
    round_trip(layer, copy, "lathe_orthogonal_linear");
    Tensor x = draw({2, in}, 3);
    CHECK(max_abs_diff(copy(x), layer(x)) == 0);
  }
}

TEST_CASE("MIPHyperNet: hyperlight keys, theta0 residual, one layer equals the op",
          "[unit][reparam]") {
  manual_seed(9);
  nn::MIPHyperNet net(2, {8}, {{"fc.weight", {3, 4}}, {"fc.bias", {3}}}, "cos|sin", DType::f64);
  std::vector<std::string> keys;
  for (const auto& [k, t] : net.state_dict()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"backbone.block0_lin.bias",
                                         "backbone.block0_lin.weight", "backbone.output.bias",
                                         "backbone.output.weight"});
  check_values(narrow(net.output->bias, 0, 12, 3), {0.0, 0.0, 0.0});
  Tensor z = f64({0.2, 0.9, 0.5, 0.0}, {2, 2});
  auto out = net.forward(z);
  REQUIRE(out.size() == 2);
  CHECK(out[0].first == "fc.weight");
  CHECK(out[0].second.shape() == Shape{2, 3, 4});
  Tensor flat = mip_hypernet(z, net.blocks[0]->weight, net.blocks[0]->bias, net.output->weight,
                             net.output->bias);
  CHECK(max_abs_diff(reshape(out[0].second, {2, 12}), narrow(flat, 1, 0, 12)) < 1e-14);
  CHECK(net.forward(f64({0.3, 0.3}))[1].second.shape() == Shape{3});
  // with W_out = 0 the predicted weights are theta0, whatever z
  {
    NoGradGuard no_grad;
    net.output->weight.zero_();
  }
  CHECK(max_abs_diff(reshape(net.forward(z)[0].second, {2, 12}),
                     expand(reshape(narrow(net.output->bias, 0, 0, 12), {1, 12}), {2, 12})) == 0);
  check_values(mip_encode(f64({0.0, 1.0}, {1, 2})), {1.0, std::cos(M_PI / 2), 0.0, 1.0}, 1e-15);
  CHECK_THROWS_WITH(mip_encode(z, "fourier"), StartsWith("[mip_hypernet] encoding must be"));
  CHECK_THROWS_WITH(net.forward(f64({0.1, 0.2, 0.3}, {1, 3})), StartsWith("[MIPHyperNet] z must"));
}

TEST_CASE("ost_equivalent_transform keeps X W", "[unit][reparam]") {
  Tensor x = draw({3, 4}, 41), w = draw({4, 5}, 42);
  auto [xt, wt] = ost_equivalent_transform(x, w, draw({4, 4}, 43), draw({4}, 44));
  CHECK(max_abs_diff(matmul(xt, wt), matmul(x, w)) < 1e-12);
  CHECK(max_abs_diff(xt, x) > 0.1);  // the transform did something
  CHECK_THROWS_WITH(ost_equivalent_transform(x, w, draw({3, 3}, 1), draw({4}, 2)),
                    StartsWith("[ost_equivalent_transform] s"));
  // the module starts as its linear layer, only the transform trains, and it stays equivalent
  manual_seed(13);
  nn::OstLinear layer(4, 3, true, DType::f64);
  Tensor in = draw({2, 4}, 45);
  Tensor plain = linear(in, layer.weight, layer.bias);
  CHECK(max_abs_diff(layer(in), plain) < 1e-14);
  sum(layer(in) * draw({2, 3}, 46)).backward();
  CHECK_FALSE(layer.weight.grad().defined());
  {
    NoGradGuard no_grad;
    layer.rotation.sub_(draw({4, 4}, 47));  // any rotation and scale: still X W
    layer.log_scale.sub_(draw({4}, 48));
  }
  CHECK(max_abs_diff(layer(in), plain) < 1e-12);
  CHECK(max_abs_diff(layer.transformed(in).first, in) > 0.1);
}

TEST_CASE("dkm_cluster_weights: hard assignment in eval, soft clusters in training",
          "[unit][reparam]") {
  Tensor w = f64({-0.9, -0.2, 0.15, 0.6, 1.3}, {5, 1});
  Tensor c0 = f64({-1.0, 0.0, 1.0}, {3, 1});
  DkmOptions eval;
  eval.training = false;
  check_values(dkm_cluster_weights(w, c0, eval).weight, {-1.0, 0.0, 0.0, 1.0, 1.0});
  // a small tau: each weight joins its nearest centroid, and centroids move to their means
  DkmOptions o;
  o.tau = 1e-4;
  o.max_iter = 1;
  DkmResult r = dkm_cluster_weights(w, c0, o);
  check_values(r.centroids, {-0.9, -0.025, 0.95}, 1e-6);
  check_values(r.weight, {-0.9, -0.025, -0.025, 0.95, 0.95}, 1e-6);
  CHECK_FALSE(r.centroids.requires_grad());
  CHECK_THROWS_WITH(dkm_cluster_weights(w, f64({1.0, 2.0}, {1, 2})),
                    StartsWith("[dkm_cluster_weights] c0 must be"));
}

TEST_CASE("shiftquant hand values, straight-through gradient, double backward",
          "[unit][reparam]") {
  check_values(shiftquant(f64({0.875, -0.5, 0.25, 0.125})), {0.875, -0.5, 0.25, 0.125});
  // max 1 -> 1/7 -> scale 2^ceil(log2(1/7)) = 0.25; x / 0.25 = 4, 1.2, -0.8, 0.2
  check_values(shiftquant(f64({1.0, 0.3, -0.2, 0.05})), {1.0, 0.25, -0.25, 0.0});
  // 3 bits (qmax 3), scale 2^ceil(log2(9 / 3)) = 4: clamp(round(9 / 4)) = 2
  check_values(shiftquant(f64({9.0, -1.0}), 3, 2), {8.0, 0.0});
  check_values(shiftquant(f64({0.0, 0.0, 0.0, 0.0})), {0.0, 0.0, 0.0, 0.0});
  Tensor x = f64({0.3, -1.7, 0.2, 0.9});
  x.requires_grad_();
  Tensor seed = f64({1.0, -2.0, 0.5, 3.0});
  GradOptions go;
  go.create_graph = true;
  Tensor g = grad({shiftquant(x)}, {x}, {seed}, go)[0];
  check_values(g, {1.0, -2.0, 0.5, 3.0});  // the identity rule, not round's zero
  CHECK_FALSE(g.requires_grad());           // no dependence on x left: second order is 0
  CHECK_THROWS_WITH(shiftquant(f64({1.0, 2.0, 3.0})), StartsWith("[shiftquant] group must be"));
  CHECK_THROWS_WITH(shiftquant(f64({1.0, 2.0, 3.0, 4.0}), 1), StartsWith("[shiftquant] bits"));
}

TEST_CASE("OrthogonalLinear and SNLinear load PyTorch state dicts and match PyTorch",
          "[unit][reparam]") {
  // tools/oracle/models_reparam.py: torch's orthogonal(nn.Linear) and sigmaReparam's SNLinear
  for (const test::FixtureCase& c :
       test::load_fixture_group(std::string(LATHE_SOURCE_DIR) +
                                "/tests/fixtures/models/reparam.safetensors")) {
    INFO(c.name);
    auto at = [&](const std::string& what) { return c.at(what).to(default_device()); };
    int64_t in = c.meta["in"].get<int64_t>(), out = c.meta["out"].get<int64_t>();
    nn::StateDict state;
    for (const auto& [key, t] : c.tensors)
      if (key.rfind("param.", 0) == 0) state[key.substr(6)] = t.to(default_device());
    std::shared_ptr<nn::Layer> layer;
    std::vector<std::pair<std::string, Tensor>> params;
    if (c.meta["module"] == "OrthogonalLinear") {
      auto m = std::make_shared<nn::OrthogonalLinear>(in, out, true, "", DType::f64);
      CHECK(m->map == c.meta["map"].get<std::string>());
      layer = m;
    } else {
      // PyTorch's SNLinear registers the weight twice (on the child too): one tensor here
      CHECK(max_abs_diff(state.at("spectral_normed_weight.weight"), state.at("weight")) == 0);
      state.erase("spectral_normed_weight.weight");
      layer = std::make_shared<nn::SNLinear>(in, out, true, 1.0, DType::f64);
    }
    layer->load_state_dict(state);
    Tensor x = at("in.x").clone();
    x.requires_grad_();
    Tensor y = layer->forward(x);
    CHECK(max_abs_diff(y, at("out.y")) < 1e-12);
    sum(y * at("seed.y")).backward();
    CHECK(max_abs_diff(x.grad(), at("grad.x")) < 1e-12);
    for (const auto& [key, p] : layer->named_parameters()) {
      INFO(key);
      CHECK(max_abs_diff(p.grad(), at("grad." + key)) < 1e-11);
    }
    nn::StateDict after = layer->state_dict();
    for (const auto& [key, t] : c.tensors)
      if (key.rfind("after.", 0) == 0)
        CHECK(max_abs_diff(after.at(key.substr(6)), at(key)) < 1e-12);
  }
}
