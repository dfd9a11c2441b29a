// The second lm slice: bad input names the op; linear_cross_entropy equals the composite
// cross_entropy(e c^T + b) to 1e-10 in f64 (values and gradients), gives the same bits twice and
// holds far less than the [N, V] logits; every target ignored gives a finite 0 with zero
// gradients; values by hand for the small ops; TempNetHead's init, range and dropout.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "lathe.h"
#include "losses/lm/lm_more.h"
#include "models/tempnet.h"

using namespace lathe;

namespace {
Tensor ints(std::vector<int64_t> v, Shape s) { return from_vector(v, s); }

double max_abs_diff(const Tensor& a, const Tensor& b) {
  return max(abs(a - b)).item();
}
}  // namespace

TEST_CASE("linear_cross_entropy rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor e = zeros({2, 3, 4}), c = zeros({5, 4});
  Tensor y = ints({0, 1, 2, 3, 4, -100}, {2, 3});
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, cast(y, DType::f32)),
                    Catch::Contains("[linear_cross_entropy] targets must be integers"));
  CHECK_THROWS_WITH(linear_cross_entropy(e, zeros({5, 3}), y),
                    Catch::Contains("[linear_cross_entropy] weight must be [V, 4]"));
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, ints({0, 1, 2}, {3})),
                    Catch::Contains("[linear_cross_entropy] targets must be integers of shape"));
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, ints({0, 1, 2, 3, 5, 0}, {2, 3})),
                    Catch::Contains("[linear_cross_entropy] target 5 out of range"));
  LinearCrossEntropyOptions o;
  o.shift = 3;
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, y, o),
                    Catch::Contains("[linear_cross_entropy] shift must lie in [0, T)"));
  o = {};
  o.bias = zeros({4});
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, y, o),
                    Catch::Contains("[linear_cross_entropy] bias"));
  o = {};
  o.softcap = -1;
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, y, o),
                    Catch::Contains("[linear_cross_entropy] softcap"));
  o = {};
  o.vocab_block = 0;
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, y, o),
                    Catch::Contains("[linear_cross_entropy] row_block and vocab_block"));
  o = {};
  o.reduction = "avg";
  CHECK_THROWS_WITH(linear_cross_entropy(e, c, y, o),
                    Catch::Contains("[linear_cross_entropy] reduction"));
}

TEST_CASE("linear_cross_entropy equals the composite to 1e-10 in f64, bit for bit twice",
          "[unit][losses]") {
  const int64_t n = 37, h = 8, v = 53;
  Tensor e0 = randn({n, h}, DType::f64), c0 = randn({v, h}, DType::f64);
  Tensor b0 = randn({v}, DType::f64);
  std::vector<int64_t> yv(n);
  for (int64_t i = 0; i < n; ++i) yv[i] = i % 7 == 3 ? -100 : (i * 13) % v;
  Tensor y = ints(yv, {n});
  for (double eps : {0.0, 0.15}) {
    for (double cap : {0.0, 3.0}) {
      // the composite: the whole [N, V] logits, cross_entropy with the same options
      Tensor e1 = e0.clone().requires_grad_(), c1 = c0.clone().requires_grad_();
      Tensor b1 = b0.clone().requires_grad_();
      Tensor z = matmul(e1, c1.t()) + b1;
      if (cap > 0) z = cap * tanh(z / cap);
      CrossEntropyOptions ce;
      ce.label_smoothing = eps;
      Tensor ref = cross_entropy(z, y, ce);
      ref.backward();
      std::vector<std::vector<double>> runs;
      for (int rep = 0; rep < 2; ++rep) {
        Tensor e = e0.clone().requires_grad_(), c = c0.clone().requires_grad_();
        LinearCrossEntropyOptions o;
        o.bias = b0.clone().requires_grad_();
        o.label_smoothing = eps;
        o.softcap = cap;
        o.row_block = 10;
        o.vocab_block = 16;
        Tensor l = linear_cross_entropy(e, c, y, o);
        l.backward();
        CHECK(std::abs(l.item() - ref.item()) < 1e-10);
        CHECK(max_abs_diff(e.grad(), e1.grad()) < 1e-10);
        CHECK(max_abs_diff(c.grad(), c1.grad()) < 1e-10);
        CHECK(max_abs_diff(o.bias.grad(), b1.grad()) < 1e-10);
        std::vector<double> bits = {l.item()};
        for (const Tensor& g : {e.grad(), c.grad(), o.bias.grad()})
          for (double x : g.to_vector<double>()) bits.push_back(x);
        runs.push_back(bits);
      }
      CHECK(runs[0] == runs[1]);  // deterministic: the same bits
    }
  }
}

TEST_CASE("linear_cross_entropy: every target ignored gives 0 with zero gradients",
          "[unit][losses]") {
  Tensor e = randn({4, 3}, DType::f64).requires_grad_();
  Tensor c = randn({5, 3}, DType::f64).requires_grad_();
  Tensor l = linear_cross_entropy(e, c, ints({-100, -100, -100, -100}, {4}));
  CHECK(l.item() == 0.0);
  l.backward();
  for (double g : e.grad().to_vector<double>()) CHECK(g == 0.0);
  for (double g : c.grad().to_vector<double>()) CHECK(g == 0.0);
}

TEST_CASE("linear_cross_entropy holds far less than the logits", "[unit][losses]") {
  // N V f32 = 256 x 8192 x 4 = 8 MiB of logits; H = 16 keeps e, c and their gradients small
  // (0.5 MiB for c). The composite keeps the logits and more; the blocks hold 64 x 1024.
  const int64_t n = 256, h = 16, v = 8192;
  Tensor e0 = randn({n, h}), c0 = randn({v, h});
  std::vector<int64_t> yv(n);
  for (int64_t i = 0; i < n; ++i) yv[i] = (i * 31) % v;
  Tensor y = ints(yv, {n});
  Device dev = e0.device();
  auto peak = [&](bool blocked) {
    Tensor e = e0.clone().requires_grad_(), c = c0.clone().requires_grad_();
    size_t base = memory_stats(dev).allocated_bytes;
    reset_peak_memory(dev);
    if (blocked) {
      LinearCrossEntropyOptions o;
      o.row_block = 64;
      o.vocab_block = 1024;
      linear_cross_entropy(e, c, y, o).backward();
    } else {
      cross_entropy(matmul(e, c.t()), y).backward();
    }
    return double(memory_stats(dev).peak_bytes - base);
  };
  const double logits = double(n) * v * 4;
  double composite = peak(false), blocked = peak(true);
  CHECK(composite > logits);
  CHECK(blocked < 0.5 * logits);
  CHECK(blocked < 0.2 * composite);
}

TEST_CASE("causal_lm_cross_entropy rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = zeros({2, 3, 4});
  Tensor y = ints({0, 1, 2, 3, -100, 0}, {2, 3});
  CHECK_THROWS_WITH(causal_lm_cross_entropy(z, cast(y, DType::f32)),
                    Catch::Contains("[causal_lm_cross_entropy] labels must be integers"));
  CHECK_THROWS_WITH(causal_lm_cross_entropy(zeros({6, 4}), y),
                    Catch::Contains("[causal_lm_cross_entropy] logits"));
  CHECK_THROWS_WITH(causal_lm_cross_entropy(z, ints({0, 1, 2, 3, 4, 0}, {2, 3})),
                    Catch::Contains("[causal_lm_cross_entropy] label 4 out of range"));
}

TEST_CASE("causal_lm_cross_entropy: by hand, T = 1, all ignored", "[unit][losses]") {
  // uniform logits over V = 4: every kept token costs log 4; labels[:, 1:] keeps 3 of 4.
  Tensor z = zeros({2, 3, 4}, DType::f64).requires_grad_();
  Tensor y = ints({9, 1, -100, 9, 2, 3}, {2, 3});
  CausalLmCrossEntropyOptions o;
  o.ignore_index = 9;
  CHECK_THROWS(causal_lm_cross_entropy(z, y, o));  // -100 is not ignored here: out of range
  o.ignore_index = -100;
  y = ints({0, 1, -100, 0, 2, 3}, {2, 3});
  CHECK(causal_lm_cross_entropy(z, y, o).item() == Approx(std::log(4.0)).epsilon(1e-14));
  o.reduction = "none";
  Tensor none = causal_lm_cross_entropy(z, y, o);
  CHECK(none.shape() == Shape{2, 2});
  CHECK(none.to_vector<double>()[1] == 0.0);
  // T = 1: nothing to predict, 0 with a graph
  Tensor one = zeros({2, 1, 4}, DType::f64).requires_grad_();
  Tensor l = causal_lm_cross_entropy(one, ints({1, 2}, {2, 1}));
  CHECK(l.item() == 0.0);
  l.backward();
  for (double g : one.grad().to_vector<double>()) CHECK(g == 0.0);
  // every label ignored
  Tensor z2 = randn({1, 3, 4}, DType::f64).requires_grad_();
  Tensor l2 = causal_lm_cross_entropy(z2, ints({0, -100, -100}, {1, 3}));
  CHECK(l2.item() == 0.0);
  l2.backward();
  for (double g : z2.grad().to_vector<double>()) CHECK(g == 0.0);
}

TEST_CASE("set_order_loss and faithfulness_contrastive_loss reject bad input, naming the op",
          "[unit][losses][errors]") {
  CHECK_THROWS_WITH(set_order_loss(zeros({3})), Catch::Contains("[set_order_loss] nll"));
  CHECK_THROWS_WITH(set_order_loss(zeros({3, 0})),
                    Catch::Contains("[set_order_loss] nll needs at least one ordering"));
  Tensor h = zeros({1, 3, 2, 4});
  Tensor lab = ints({0, 0, 0, 0, 0, 0}, {1, 3, 2});
  CHECK_THROWS_WITH(faithfulness_contrastive_loss(h, cast(lab, DType::f32)),
                    Catch::Contains("[faithfulness_contrastive_loss] labels must be integers"));
  FaithfulnessContrastiveLossOptions o;
  o.n_pos = 1;
  CHECK_THROWS_WITH(faithfulness_contrastive_loss(h, lab, o),
                    Catch::Contains("[faithfulness_contrastive_loss] n_pos must lie in [2, c]"));
  o.n_pos = 4;
  CHECK_THROWS_WITH(faithfulness_contrastive_loss(h, lab, o),
                    Catch::Contains("[faithfulness_contrastive_loss] n_pos"));
}

TEST_CASE("set_order_loss and faithfulness_contrastive_loss by hand", "[unit][losses]") {
  // min over orderings, then the mean: (0.5 + 1) / 2
  Tensor nll = from_vector(std::vector<double>{2, 0.5, 3, 1, 4, 1.5}, {2, 3}).requires_grad_();
  Tensor l = set_order_loss(nll);
  CHECK(l.item() == Approx(0.75).epsilon(1e-15));
  l.backward();
  CHECK(nll.grad().to_vector<double>() == std::vector<double>{0, 0.5, 0, 0.5, 0, 0});
  // 3 candidates, n_pos 2, one token each: z0 = z1 = e1, z2 = -e1. s01 = 1, s02 = -1:
  // L = log(e^1 + e^-1) - 1. A fully padded candidate pools to 0 and stays finite.
  Tensor h = from_vector(std::vector<double>{2, 0, 9, 9, 5, 0, 9, 9, -1, 0, 9, 9, 7, 7, 7, 7},
                         {1, 4, 2, 2});
  Tensor lab = ints({1, -100, 1, -100, 1, -100, -100, -100}, {1, 4, 2});
  // candidate 3 is all padding: z = 0, s = 0, exp(0) = 1 joins candidate 0's denominator
  double want = std::log(std::exp(1.0) + std::exp(-1.0) + 1.0) - 1.0;
  CHECK(faithfulness_contrastive_loss(h, lab).item() == Approx(want).epsilon(1e-14));
}

TEST_CASE("TempNetHead: reference init, tau in range, dropout only in training, zero rows",
          "[unit][losses]") {
  nn::TempNetHead head(12, 16, 0.5, 5.0, DType::f64);
  for (double w : head.l3->weight.to_vector<double>()) CHECK(w == 1.0);
  CHECK(head.l3->bias.item() == 0.0);
  CHECK(head.s.item() == 0.0);
  Tensor z = randn({5, 12}, DType::f64).requires_grad_();
  head.eval();
  Tensor t1 = head(z), t2 = head(z);
  CHECK(t1.shape() == Shape{5, 1});
  CHECK(t1.to_vector<double>() == t2.to_vector<double>());
  for (double t : t1.to_vector<double>()) CHECK((t > 0.5 && t < 5.0));
  sum(t1).backward();
  CHECK(!z.grad().defined());  // logits are read detached
  CHECK(head.s.grad().defined());
  head.train();
  Tensor t3 = head(z);
  CHECK(t3.to_vector<double>() != t1.to_vector<double>());  // dropout on
  head.eval();
  for (double t : head(zeros({2, 12}, DType::f64)).to_vector<double>())
    CHECK(std::isfinite(t));  // the reference gives 0/0 here
  TempnetHeadOptions bad;
  bad.tau_min = 6;
  CHECK_THROWS_WITH(tempnet_head(z, head.l1->weight, head.l1->bias, head.l2->weight,
                                 head.l2->bias, head.l3->weight, head.l3->bias, head.s, bad),
                    Catch::Contains("[tempnet_head] need 0 < tau_min < tau_max"));
  CHECK_THROWS_WITH(tempnet_head(z, head.l1->weight, head.l1->bias, head.l2->weight,
                                 head.l2->bias, zeros({2, 16}, DType::f64), head.l3->bias,
                                 head.s),
                    Catch::Contains("[tempnet_head] w3"));
}

// The benchmark shape on the cpu backend, hidden (run it by name: lathe_tests
// "[.lce_bench]"): N 2048, D 512, V 32768, f32, forward and backward, against the composite
// cross_entropy(hidden weight^T, y); prints peak bytes and seconds of each. The peak holds the
// gradients (dW alone is 64 MiB) and what the engine copies of them into .grad; the logits are
// 256 MiB.
TEST_CASE("linear_cross_entropy at N 2048, D 512, V 32768 against the composite",
          "[.lce_bench]") {
  const int64_t n = 2048, d = 512, v = 32768;
  Device dev = Device::cpu();
  Tensor e0 = randn({n, d}).to(dev), c0 = (randn({v, d}) * 0.05).to(dev);
  std::vector<int64_t> yv(n);
  for (int64_t i = 0; i < n; ++i) yv[i] = (i * 7919) % v;
  Tensor y = ints(yv, {n}).to(dev);
  auto run = [&](bool blocked, double& seconds) {
    Tensor e = e0.clone().requires_grad_(), c = c0.clone().requires_grad_();
    size_t base = memory_stats(dev).allocated_bytes;
    reset_peak_memory(dev);
    auto t0 = std::chrono::steady_clock::now();
    Tensor l = blocked ? linear_cross_entropy(e, c, y) : cross_entropy(matmul(e, c.t()), y);
    l.backward();
    (void)e.grad().to_vector<float>();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return double(memory_stats(dev).peak_bytes - base);
  };
  double tc = 0, tb = 0;
  run(true, tb);  // warm the allocator cache and the thread pools
  double mc = run(false, tc), mb = run(true, tb);
  std::printf("composite: peak %.1f MiB, %.3f s; linear_cross_entropy: peak %.1f MiB, %.3f s\n",
              mc / 1048576, tc, mb / 1048576, tb);
  CHECK(mb < double(n) * v * 4);  // below the logits' size
  CHECK(mb < 0.5 * mc);
}
