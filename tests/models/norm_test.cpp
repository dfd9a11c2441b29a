// The normalization modules of models/norm/norm.h: parameters and buffers as the catalog's
// "Module form" says, train/eval behaviour, and state-dict round trips (a module restored from
// another's state dict continues its training run identically).
#include "models/norm/norm.h"

#include <catch2/catch.hpp>
#include <functional>

#include "lathe.h"
#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::nn;
using namespace lathe::test;

namespace {

Tensor input(Shape shape, uint64_t seed, double scale = 1.0) {
  Generator gen(seed);
  return randn(shape, DType::f64, default_device(), &gen) * scale;
}

std::vector<std::string> names(const std::vector<std::pair<std::string, Tensor>>& named) {
  std::vector<std::string> out;
  for (const auto& [name, t] : named) out.push_back(name);
  return out;
}

// One training step: forward, backward with fixed seeds, and a plain SGD update.
Tensor train_step(Layer& m, const Tensor& x, uint64_t seed) {
  for (Tensor& p : m.parameters()) p.zero_grad();
  Tensor y = m.forward(x);
  y.backward(input(y.shape(), seed));
  NoGradGuard no_grad;
  for (Tensor& p : m.parameters())
    if (p.grad().defined()) p.sub_(p.grad() * 0.05);
  return y.detach();
}

// A module trained for a few steps hands its state to a fresh one; both then continue alike.
void check_round_trip(const std::function<std::shared_ptr<Layer>()>& make, Shape shape,
                      double scale = 1.0) {
  auto a = make(), b = make();
  for (int s = 0; s < 4; ++s) train_step(*a, input(shape, 100 + s, scale), 200 + s);
  b->load_state_dict(a->state_dict());
  StateDict sa = a->state_dict(), sb = b->state_dict();
  REQUIRE(sa.size() == sb.size());
  for (const auto& [name, t] : sa) {
    INFO(name);
    CHECK(compare(sb.at(name), t, 0, 0) == "");
  }
  for (int s = 4; s < 6; ++s) {
    Tensor x = input(shape, 100 + s, scale);
    CHECK(compare(train_step(*b, x, 200 + s), train_step(*a, x, 200 + s), 0, 0) == "");
  }
  for (const auto& [name, t] : a->state_dict()) {
    INFO(name << " after two more steps");
    CHECK(compare(b->state_dict().at(name), t, 0, 0) == "");
  }
  a->eval();
  b->eval();
  Tensor x = input(shape, 300, scale);
  CHECK(compare(b->forward(x), a->forward(x), 0, 0) == "");
}

}  // namespace

TEST_CASE("LayerNorm, RMSNorm, CRMSNorm, GroupScaling, NonScalingLayerNorm: stateless modules",
          "[unit][norm][module]") {
  LayerNorm ln({3, 4}, 1e-5, true, DType::f64);
  CHECK(names(ln.named_parameters()) == std::vector<std::string>{"weight", "bias"});
  CHECK(ln.weight.shape() == Shape{3, 4});
  CHECK(ln.named_buffers().empty());
  Tensor x = input({2, 3, 4}, 1);
  CHECK(compare(ln.forward(x), layer_norm(x, ln.weight, ln.bias, {3, 4}), 0, 0) == "");
  ln.eval();
  CHECK(compare(ln.forward(x), layer_norm(x, Tensor(), Tensor(), {3, 4}), 0, 0) == "");
  CHECK(LayerNorm({4}, 1e-5, false).parameters().empty());

  CHECK(RMSNorm(4).parameters().empty());
  RMSNorm rms(4, 1e-5, true, DType::f64);
  CHECK(names(rms.named_parameters()) == std::vector<std::string>{"weight"});
  CHECK(compare(rms.forward(x), rms_norm(x), 0, 0) == "");

  CRMSNorm crms(3);
  CHECK(compare(crms.forward(x.slice(-1, 0, 3)), crms_norm(x.slice(-1, 0, 3)), 0, 0) == "");
  CHECK_THROWS_WITH(crms.forward(x), Catch::Contains("[CRMSNorm] expected x [..., 3]"));

  GroupScaling gs(2);
  CHECK(compare(gs.forward(x), group_scaling(x, 2), 0, 0) == "");

  NonScalingLayerNorm ns(4, 1e-6, true, "standardize", DType::f64);
  CHECK(names(ns.named_parameters()) == std::vector<std::string>{"bias"});
  // The composite and the fused layer_norm round differently in the last bit.
  CHECK(compare(ns.forward(x), layer_norm(x, Tensor(), Tensor(), Shape(), 1e-6), 1e-12, 1e-12) ==
        "");
  CHECK(NonScalingLayerNorm(4, 1e-6, false).parameters().empty());
  CHECK_THROWS_WITH(NonScalingLayerNorm(4, 1e-6, true, "gamma"),
                    Catch::Contains("[NonScalingLayerNorm] variant"));
  check_round_trip([] { return std::make_shared<LayerNorm>(Shape{4}, 1e-5, true, DType::f64); },
                   {3, 4});
  check_round_trip(
      [] {
        return std::make_shared<NonScalingLayerNorm>(4, 1e-6, true, "standardize", DType::f64);
      },
      {3, 4});
}

TEST_CASE("PowerNorm: buffers, iteration counter, group scaling, pad mask layout, eval",
          "[unit][norm][module]") {
  PowerNormConfig config;
  config.warmup_iters = 2;
  config.group_num = 2;
  PowerNorm pn(4, config, DType::f64);
  CHECK(names(pn.named_parameters()) == std::vector<std::string>{"weight", "bias"});
  CHECK(names(pn.named_buffers()) == std::vector<std::string>{"running_phi", "ema_gz", "iters"});
  CHECK(pn.running_phi.to_vector<double>() == std::vector<double>{1, 1, 1, 1});
  CHECK(pn.iters.dtype() == DType::i64);

  Tensor x = input({3, 2, 4}, 2);  // [T, B, C]
  Tensor pad = from_vector(std::vector<bool>{false, false, true, false, false, true}, {2, 3});
  Tensor phi0 = pn.running_phi.clone(), ema0 = pn.ema_gz.clone();
  Tensor y = pn.forward(x, pad);
  CHECK(pn.iters.item() == 1);
  // The op on group-scaled input with the mask in x's leading layout [T, B].
  PowerNormOptions o;
  o.warmup_iters = 2;
  Tensor ema_copy = ema0.clone();
  PowerNormResult want =
      power_norm(group_scaling(x, 2), ones({4}, DType::f64).requires_grad_(),
                 zeros({4}, DType::f64), phi0, ema_copy, transpose(pad, 0, 1), o);
  CHECK(compare(y, want.y, 1e-15, 1e-15) == "");
  CHECK(compare(pn.running_phi, want.running_phi, 1e-15, 1e-15) == "");
  y.backward(input(y.shape(), 3));
  want.y.backward(input(y.shape(), 3));
  CHECK(compare(pn.ema_gz, ema_copy, 1e-15, 1e-15) == "");
  CHECK(compare(pn.ema_gz, ema0, 0, 0) != "");

  pn.eval();
  Tensor phi = pn.running_phi.clone();
  Tensor e = pn.forward(x);
  CHECK(pn.iters.item() == 1);
  CHECK(compare(pn.running_phi, phi, 0, 0) == "");
  CHECK(compare(e, group_scaling(x, 2) / sqrt(phi + 1e-5), 1e-15, 1e-15) == "");
  // Forgetting the backward of a training step makes the next step's backward throw.
  pn.train();
  Tensor first = pn.forward(x);
  Tensor second = pn.forward(x);
  CHECK_THROWS_WITH(sum(first).backward(), Catch::Contains("[power_norm] ema_gz changed"));
  CHECK_NOTHROW(sum(second).backward());
  check_round_trip([config] { return std::make_shared<PowerNorm>(4, config, DType::f64); },
                   {3, 2, 4});
}

TEST_CASE("UnifiedNorm: buffers, windows, skip counter, eval", "[unit][norm][module]") {
  UnifiedNormConfig config;
  config.window_fwd = 3;
  config.window_bwd = 2;
  config.warmup_iters = 2;
  config.outlier_filtration = true;
  UnifiedNorm un(3, config, DType::f64);
  CHECK(names(un.named_buffers()) == std::vector<std::string>{"running_var", "ema_gz", "iters",
                                                              "buffer_x2", "buffer_gz",
                                                              "skip_counter"});
  CHECK(un.buffer_x2.shape() == Shape{3, 3});
  CHECK(un.buffer_gz.shape() == Shape{2, 3});
  // Quiet steps, then a loud one: the filtration skips it and counts it.
  for (int s = 0; s < 5; ++s) train_step(un, input({2, 4, 3}, 10 + s), 20 + s);
  int64_t before = static_cast<int64_t>(un.skip_counter.item());
  train_step(un, input({2, 4, 3}, 30, 20.0), 31);
  CHECK(un.iters.item() == 6);
  CHECK(un.skip_counter.item() == before + 1);
  un.eval();
  Tensor x = input({2, 4, 3}, 32);
  Tensor rv = un.running_var.clone();
  CHECK(compare(un.forward(x), x * un.weight.detach() / sqrt(rv + 1e-5) + un.bias.detach(), 1e-15,
                1e-15) == "");
  CHECK(un.iters.item() == 6);
  // pad_mask [B, N] is x's own leading layout.
  un.train();
  Tensor pad =
      from_vector(std::vector<bool>{false, true, false, false, false, false, true, false}, {2, 4});
  CHECK_NOTHROW(sum(un.forward(x, pad)).backward());
  check_round_trip([config] { return std::make_shared<UnifiedNorm>(3, config, DType::f64); },
                   {2, 4, 3});
}

TEST_CASE("PowerNormVanilla, BatchNorm, L1Norm, EvoNormB0: running statistics in train only",
          "[unit][norm][module]") {
  Tensor x = input({4, 3, 2}, 40);
  PowerNormVanilla pv(3, 1e-5, 0.1, DType::f64);
  Tensor xr = input({8, 3}, 41);
  pv.forward(xr);
  CHECK(compare(pv.running_phi, 0.9 + 0.1 * mean(xr * xr, {0}), 1e-15, 1e-15) == "");
  pv.eval();
  CHECK(compare(pv.forward(xr), xr / sqrt(pv.running_phi + 1e-5), 1e-15, 1e-15) == "");

  BatchNorm bn(3, 1e-5, 0.1, true, DType::f64);
  CHECK(names(bn.named_buffers()) ==
        std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"});
  BatchNormResult want = batch_norm(x, zeros({3}, DType::f64), ones({3}, DType::f64));
  CHECK(compare(bn.forward(x), want.y, 0, 0) == "");
  CHECK(compare(bn.running_var, want.running_var, 0, 0) == "");
  CHECK(bn.num_batches_tracked.item() == 1);
  bn.eval();
  Tensor rv = bn.running_var.clone();
  bn.forward(x);
  CHECK(compare(bn.running_var, rv, 0, 0) == "");
  CHECK(bn.num_batches_tracked.item() == 1);

  L1Norm l1(3, "batch", 1e-5, 0.1, kL1NormScale, DType::f64);
  Tensor y = l1.forward(x);
  CHECK(compare(y, l1_norm(x, ones({1, 3, 1}, DType::f64), zeros({1, 3, 1}, DType::f64), {0, 2}), 0,
                0) == "");
  Tensor mu = mean(x, {0, 2});
  CHECK(compare(l1.running_mean, 0.1 * mu, 1e-15, 1e-15) == "");
  l1.eval();
  Tensor scale = reshape(l1.running_l1, {1, 3, 1});
  CHECK(compare(l1.forward(x), (x - reshape(l1.running_mean, {1, 3, 1})) / (scale + 1e-5), 1e-15,
                1e-15) == "");
  L1Norm token(2, "layer", 1e-5, 0.1, kL1NormScale, DType::f64);
  CHECK(token.named_buffers().empty());
  CHECK(compare(token.forward(x), l1_norm(x, ones({2}, DType::f64), zeros({2}, DType::f64)), 0,
                0) == "");
  CHECK_THROWS_WITH(L1Norm(3, "group"), Catch::Contains("[L1Norm] mode"));

  EvoNormB0 b0(3, 1e-5, 0.9, true, false, DType::f64);
  CHECK(names(b0.named_parameters()) == std::vector<std::string>{"gamma", "beta", "v"});
  CHECK(b0.gamma.shape() == Shape{1, 3, 1, 1});
  Tensor img = input({2, 3, 2, 2}, 42);
  b0.forward(img);
  Tensor d = img - mean(img, {0, 2, 3}, true);
  CHECK(compare(b0.moving_var, 0.9 + 0.1 * mean(d * d, {0, 2, 3}, true), 1e-15, 1e-15) == "");
  CHECK(EvoNormB0(3, 1e-5, 0.9, true, true).gamma.to_vector<double>() ==
        std::vector<double>{0, 0, 0});  // init_zero
  EvoNormB0 affine(3, 1e-5, 0.9, false, false, DType::f64);
  affine.forward(img);
  CHECK(affine.moving_var.to_vector<double>() == std::vector<double>{1, 1, 1});
  EvoNormS0 s0(4, 32, 1e-5, true, DType::f64);
  Tensor img4 = input({2, 4, 2, 2}, 43);
  CHECK(compare(s0.forward(img4), evonorm_s0(img4, s0.gamma, s0.beta, s0.v), 0, 0) == "");
  GroupNorm gn(2, 4, 1e-5, true, DType::f64);
  CHECK(compare(gn.forward(img4), group_norm(img4, 2), 0, 0) == "");

  check_round_trip([] { return std::make_shared<BatchNorm>(3, 1e-5, 0.1, true, DType::f64); },
                   {4, 3, 2});
  check_round_trip(
      [] { return std::make_shared<L1Norm>(3, "batch", 1e-5, 0.1, kL1NormScale, DType::f64); },
      {4, 3, 2});
  check_round_trip(
      [] { return std::make_shared<EvoNormB0>(3, 1e-5, 0.9, true, false, DType::f64); },
      {2, 3, 2, 2});
  check_round_trip([] { return std::make_shared<PowerNormVanilla>(3, 1e-5, 0.1, DType::f64); },
                   {5, 3});
  check_round_trip([] { return std::make_shared<RMSNorm>(4, 1e-5, true, DType::f64); }, {3, 4});
  check_round_trip([] { return std::make_shared<GroupNorm>(2, 4, 1e-5, true, DType::f64); },
                   {2, 4, 3});
  check_round_trip([] { return std::make_shared<EvoNormS0>(4, 2, 1e-5, true, DType::f64); },
                   {2, 4, 2, 2});
}
