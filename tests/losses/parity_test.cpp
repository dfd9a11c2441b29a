// The torch.nn.functional parity losses (issue 17): bad input names the op, and the values and
// rules the generic runners do not assert (hand-computed values, lathe's departures from
// PyTorch: all targets ignored gives 0; kl_div's batchmean).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

namespace {
Tensor vec(std::vector<double> v, Shape shape) { return from_vector(v, shape); }
Tensor idx(std::vector<int64_t> v, Shape shape) { return from_vector(v, shape); }
}  // namespace

TEST_CASE("nll_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor x = zeros({3, 4});
  Tensor y = idx({0, 1, 2}, {3});
  CHECK_THROWS_WITH(nll_loss(x, cast(y, DType::f32)),
                    Catch::Contains("[nll_loss] target must hold integer class indices"));
  CHECK_THROWS_WITH(nll_loss(x, idx({0, 1, 4}, {3})),
                    Catch::Contains("[nll_loss] target holds class index 4, outside [0, 4)"));
  CHECK_THROWS_WITH(nll_loss(x, idx({0, -1, 2}, {3})), Catch::Contains("class index -1"));
  CHECK_THROWS_WITH(nll_loss(x, idx({0, 1}, {2})),
                    Catch::Contains("[nll_loss] target must have shape [3]"));
  NllLossOptions o;
  o.weight = ones({3});
  CHECK_THROWS_WITH(nll_loss(x, y, o), Catch::Contains("[nll_loss] weight"));
  o = {};
  o.reduction = "avg";
  CHECK_THROWS_WITH(nll_loss(x, y, o), Catch::Contains("[nll_loss] reduction"));
}

TEST_CASE("nll_loss: weighted mean by hand, all ignored gives 0", "[unit][losses]") {
  Tensor x = vec({-0.5, -1.0, -2.0, -0.25, -3.0, -0.75}, {2, 3});
  NllLossOptions o;
  o.weight = vec({1.0, 2.0, 4.0}, {3});
  // rows: -w_1 x_01 = 2, -w_2 x_12 = 3; mean = 5 / (2 + 4)
  CHECK(nll_loss(x, idx({1, 2}, {2}), o).item() == Approx(5.0 / 6.0).epsilon(1e-12));
  Tensor leaf = x.detach().requires_grad_();
  Tensor loss = nll_loss(leaf, idx({-100, -100}, {2}), o);
  CHECK(loss.item() == 0.0);
  loss.backward();
  CHECK(sum(abs(leaf.grad())).item() == 0.0);
}

TEST_CASE("kl_div: batchmean, log_target and bad input", "[unit][losses]") {
  Tensor x = vec({std::log(0.5), std::log(0.5), std::log(0.25), std::log(0.75)}, {2, 2});
  Tensor t = vec({0.25, 0.75, 0.0, 1.0}, {2, 2});
  // sum t log(t / q) = 0.25 log 0.5 + 0.75 log 1.5 + 0 + log(4/3); batchmean halves it.
  double total = 0.25 * std::log(0.5) + 0.75 * std::log(1.5) + std::log(4.0 / 3.0);
  KlDivOptions o;
  o.reduction = "batchmean";
  CHECK(kl_div(x, t, o).item() == Approx(total / 2).epsilon(1e-12));
  o.reduction = "none";
  CHECK(sum(kl_div(x, t, o)).item() == Approx(total).epsilon(1e-12));
  o.reduction = "mean";
  CHECK(kl_div(x, t, o).item() == Approx(total / 4).epsilon(1e-12));
  o.log_target = true;
  o.reduction = "sum";
  Tensor lt = log(vec({0.25, 0.75, 0.5, 0.5}, {2, 2}));
  o.log_target = false;
  double plain = kl_div(x, exp(lt), o).item();
  o.log_target = true;
  CHECK(kl_div(x, lt, o).item() == Approx(plain).epsilon(1e-12));
  // t = 0: the input's gradient is -t = 0, the target's is -x, and nothing is NaN.
  Tensor leaf = x.detach().requires_grad_();
  Tensor target = t.detach().requires_grad_();
  o = {};
  kl_div(leaf, target, o).backward();
  std::vector<double> gx = leaf.grad().to_vector<double>(), gt = target.grad().to_vector<double>();
  CHECK(gx[2] == 0.0);
  CHECK(gt[2] == Approx(-std::log(0.25) / 4));  // -x: the t log t term adds 0 at t = 0
  for (double g : gx) CHECK(std::isfinite(g));
  o.reduction = "batch";
  CHECK_THROWS_WITH(kl_div(x, t, o), Catch::Contains("[kl_div] reduction"));
  CHECK_THROWS_WITH(kl_div(x, zeros({2, 3})), Catch::Contains("[kl_div] input"));
  CHECK_THROWS_WITH(kl_div(x, idx({0, 1, 0, 1}, {2, 2})), Catch::Contains("[kl_div] target"));
}

TEST_CASE("binary_cross_entropy: clamped logs, range and shapes", "[unit][losses]") {
  Tensor x = vec({0.0, 1.0, 0.5}, {3});
  Tensor t = vec({1.0, 1.0, 0.0}, {3});
  BinaryCrossEntropyOptions o;
  o.reduction = "none";
  std::vector<double> l = binary_cross_entropy(x, t, o).to_vector<double>();
  CHECK(l[0] == 100.0);
  CHECK(l[1] == 0.0);
  CHECK(l[2] == Approx(std::log(2.0)).epsilon(1e-12));
  // x = 0, t = 1: the clamped log term is constant, so the gradient is finite (0 here).
  Tensor leaf = x.detach().requires_grad_();
  sum(binary_cross_entropy(leaf, t, o)).backward();
  for (double g : leaf.grad().to_vector<double>()) CHECK(std::isfinite(g));
  CHECK_THROWS_WITH(binary_cross_entropy(vec({0.5, 1.5}, {2}), vec({0, 1}, {2})),
                    Catch::Contains("[binary_cross_entropy] input must lie in [0, 1]"));
  CHECK_THROWS_WITH(binary_cross_entropy(vec({0.5, 0.5}, {2}), vec({0, 1, 1}, {3})),
                    Catch::Contains("[binary_cross_entropy] input"));
  o.weight = ones({3});
  CHECK_THROWS_WITH(binary_cross_entropy(vec({0.5, 0.5}, {2}), vec({0, 1}, {2}), o),
                    Catch::Contains("[binary_cross_entropy]") && Catch::Contains("[3]"));
}

TEST_CASE("huber_loss and smooth_l1_loss: hand values and bad parameters", "[unit][losses]") {
  Tensor x = vec({3.0, 0.5, -2.0}, {3});
  Tensor t = zeros({3}, DType::f64);
  HuberLossOptions h;
  h.delta = 2.0;
  h.reduction = "none";
  std::vector<double> l = huber_loss(x, t, h).to_vector<double>();
  CHECK(l[0] == Approx(2.0 * (3.0 - 1.0)));
  CHECK(l[1] == Approx(0.125));
  CHECK(l[2] == Approx(2.0));
  SmoothL1LossOptions s;
  s.beta = 2.0;
  s.reduction = "none";
  std::vector<double> m = smooth_l1_loss(x, t, s).to_vector<double>();
  for (int i = 0; i < 3; ++i) CHECK(l[i] == Approx(2.0 * m[i]));  // huber = delta * smooth_l1
  h.delta = 0;
  CHECK_THROWS_WITH(huber_loss(x, t, h), Catch::Contains("[huber_loss] delta must be > 0"));
  s.beta = -1;
  CHECK_THROWS_WITH(smooth_l1_loss(x, t, s), Catch::Contains("[smooth_l1_loss] beta must be"));
  CHECK_THROWS_WITH(huber_loss(x, zeros({2}, DType::f64)), Catch::Contains("[huber_loss]"));
  CHECK_THROWS_WITH(smooth_l1_loss(x, zeros({4}, DType::f64)),
                    Catch::Contains("[smooth_l1_loss]"));
}

TEST_CASE("poisson_nll_loss and gaussian_nll_loss: hand values and bad input",
          "[unit][losses]") {
  PoissonNllLossOptions p;
  p.full = true;
  p.reduction = "none";
  // t = 3: exp(0) - 0 + 3 log 3 - 3 + 0.5 log(6 pi); t = 1: no Stirling term.
  std::vector<double> l =
      poisson_nll_loss(vec({0.0, 0.0}, {2}), vec({3.0, 1.0}, {2}), p).to_vector<double>();
  CHECK(l[0] == Approx(1.0 + 3.0 * std::log(3.0) - 3.0 + 0.5 * std::log(6.0 * M_PI)));
  CHECK(l[1] == Approx(1.0));
  p.eps = -1;
  CHECK_THROWS_WITH(poisson_nll_loss(vec({1.0}, {1}), vec({1.0}, {1}), p),
                    Catch::Contains("[poisson_nll_loss] eps must be > 0"));
  CHECK_THROWS_WITH(poisson_nll_loss(vec({1.0}, {1}), vec({1.0, 2.0}, {2})),
                    Catch::Contains("[poisson_nll_loss]"));

  GaussianNllLossOptions g;
  g.reduction = "none";
  // v = 4, d = 2: 0.5 (log 4 + 1); v = 0 is clamped at eps = 1e-6 with d = 0.
  std::vector<double> m = gaussian_nll_loss(vec({2.0, 1.0}, {2}), zeros({2}, DType::f64),
                                            vec({4.0, 0.0}, {2}), g)
                              .to_vector<double>();
  CHECK(m[0] == Approx(0.5 * (std::log(4.0) + 1.0)));
  CHECK(m[1] == Approx(0.5 * (std::log(1e-6) + 1e6)));
  Tensor x = zeros({2, 3}, DType::f64);
  CHECK_THROWS_WITH(gaussian_nll_loss(x, x, ones({3}, DType::f64)),
                    Catch::Contains("[gaussian_nll_loss] var [3] must have the input's shape"));
  CHECK_THROWS_WITH(gaussian_nll_loss(x, x, full({2, 3}, -1.0, DType::f64)),
                    Catch::Contains("[gaussian_nll_loss] var must be >= 0"));
  g.eps = 0;
  CHECK_THROWS_WITH(gaussian_nll_loss(x, x, ones({2, 3}, DType::f64), g),
                    Catch::Contains("[gaussian_nll_loss] eps must be > 0"));
  CHECK_THROWS_WITH(gaussian_nll_loss(x, zeros({3, 2}, DType::f64), ones({2, 3}, DType::f64)),
                    Catch::Contains("[gaussian_nll_loss]") && Catch::Contains("[3, 2]"));
}

TEST_CASE("margin and embedding parity losses reject bad input, naming the op",
          "[unit][losses][errors]") {
  Tensor x = zeros({3, 4}, DType::f64);
  Tensor y = idx({0, 1, 2}, {3});
  MultiMarginLossOptions mm;
  mm.p = 3;
  CHECK_THROWS_WITH(multi_margin_loss(x, y, mm), Catch::Contains("[multi_margin_loss] p must"));
  CHECK_THROWS_WITH(multi_margin_loss(x, cast(y, DType::f64)),
                    Catch::Contains("[multi_margin_loss] target must hold integer"));
  CHECK_THROWS_WITH(multi_margin_loss(x, idx({0, 4, 1}, {3})),
                    Catch::Contains("[multi_margin_loss] target holds class index 4"));
  CHECK_THROWS_WITH(multi_margin_loss(x, idx({0, 1}, {2})),
                    Catch::Contains("[multi_margin_loss] target must have shape [3]"));
  CHECK_THROWS_WITH(multilabel_margin_loss(x, idx({0, 1, 2}, {3})),
                    Catch::Contains("[multilabel_margin_loss] target must have the input's"));
  CHECK_THROWS_WITH(multilabel_margin_loss(zeros({1, 3}, DType::f64), idx({0, 5, -1}, {1, 3})),
                    Catch::Contains("[multilabel_margin_loss] target holds class index 5"));
  CHECK_THROWS_WITH(multilabel_margin_loss(zeros({1, 3}, DType::f64), idx({0, -2, -1}, {1, 3})),
                    Catch::Contains("class index -2"));
  CHECK_THROWS_WITH(multilabel_soft_margin_loss(x, zeros({3, 3}, DType::f64)),
                    Catch::Contains("[multilabel_soft_margin_loss]"));
  CHECK_THROWS_WITH(soft_margin_loss(x, y), Catch::Contains("[soft_margin_loss] target"));
  // -y x = 1e4: PyTorch's log1p(exp(.)) is inf there; softplus gives 1e4 and a gradient of 1.
  Tensor big = vec({1e4, -1e4}, {2}).requires_grad_();
  SoftMarginLossOptions sm;
  sm.reduction = "sum";
  Tensor l = soft_margin_loss(big, vec({-1.0, 1.0}, {2}), sm);
  CHECK(l.item() == Approx(2e4));
  l.backward();
  CHECK(big.grad().to_vector<double>() == std::vector<double>{1.0, -1.0});
  CHECK_THROWS_WITH(hinge_embedding_loss(x, zeros({4, 3}, DType::f64)),
                    Catch::Contains("[hinge_embedding_loss]"));
  Tensor s = zeros({3}, DType::f64);
  CHECK_THROWS_WITH(margin_ranking_loss(s, s, zeros({2}, DType::f64)),
                    Catch::Contains("[margin_ranking_loss]"));
  CosineEmbeddingLossOptions ce;
  ce.margin = 1.5;
  CHECK_THROWS_WITH(cosine_embedding_loss(x, x, s, ce),
                    Catch::Contains("[cosine_embedding_loss] margin must lie in [-1, 1]"));
  CHECK_THROWS_WITH(cosine_embedding_loss(x, x, zeros({4}, DType::f64)),
                    Catch::Contains("[cosine_embedding_loss] target must have shape [3]"));
  TripletMarginLossOptions tm;
  tm.margin = -1;
  CHECK_THROWS_WITH(triplet_margin_loss(x, x, x, tm),
                    Catch::Contains("[triplet_margin_loss] margin must be >= 0"));
  tm = {};
  tm.eps = -1e-6;
  CHECK_THROWS_WITH(triplet_margin_loss(x, x, x, tm),
                    Catch::Contains("[triplet_margin_loss] eps must be >= 0"));
  CHECK_THROWS_WITH(triplet_margin_loss(x, x, zeros({3, 5}, DType::f64)),
                    Catch::Contains("[triplet_margin_loss]"));
  TripletMarginWithDistanceLossOptions td;
  td.margin = 0;
  CHECK_THROWS_WITH(triplet_margin_with_distance_loss(x, x, x, td),
                    Catch::Contains("[triplet_margin_with_distance_loss] margin must be > 0"));
  td = {};
  td.distance_function = "l1";
  CHECK_THROWS_WITH(triplet_margin_with_distance_loss(x, x, x, td),
                    Catch::Contains("distance_function must be pairwise or cosine"));
}

TEST_CASE("margin parity losses: hand values", "[unit][losses]") {
  // multi_margin: x = [0.1, 0.2, 0.4], y = 1: (max(0, 1 - 0.2 + 0.1) + (1 - 0.2 + 0.4)) / 3.
  Tensor x = vec({0.1, 0.2, 0.4}, {1, 3});
  CHECK(multi_margin_loss(x, idx({1}, {1})).item() == Approx((0.9 + 1.2) / 3).epsilon(1e-12));
  // multilabel_margin: targets {3, 0} of x = [0.1, 0.2, 0.4, 0.3]; non-targets 1, 2.
  Tensor x4 = vec({0.1, 0.2, 0.4, 0.3}, {1, 4});
  double want = (1 - 0.3 + 0.2) + (1 - 0.3 + 0.4) + (1 - 0.1 + 0.2) + (1 - 0.1 + 0.4);
  CHECK(multilabel_margin_loss(x4, idx({3, 0, -1, 2}, {1, 4})).item() ==
        Approx(want / 4).epsilon(1e-12));
  // triplet with swap: d(a,p) = 1, d(a,n) = 3, d(p,n) = 2 (eps 0): max(0, 1 - 2 + 1.5).
  TripletMarginLossOptions o;
  o.eps = 0;
  o.swap = true;
  o.margin = 1.5;
  Tensor a = vec({0.0, 0.0}, {1, 2}), p = vec({1.0, 0.0}, {1, 2}), n = vec({3.0, 0.0}, {1, 2});
  CHECK(triplet_margin_loss(a, p, n, o).item() == Approx(0.5).epsilon(1e-12));
  o.swap = false;
  CHECK(triplet_margin_loss(a, p, n, o).item() == 0.0);
}

TEST_CASE("cosine_embedding_loss: a zero row stays finite", "[unit][losses]") {
  // cos = 0 / sqrt(1e-12 (2 + 1e-12)) = 0: loss 1 - 0 for y = 1; the gradient -x2 / (1e-6 sqrt 2)
  // is large but finite (PyTorch's EPSILON inside each squared norm).
  Tensor x1 = zeros({1, 2}, DType::f64).requires_grad_();
  Tensor x2 = vec({1.0, 1.0}, {1, 2});
  Tensor l = cosine_embedding_loss(x1, x2, vec({1.0}, {1}));
  CHECK(l.item() == 1.0);
  l.backward();
  for (double g : x1.grad().to_vector<double>())
    CHECK(g == Approx(-1.0 / std::sqrt(1e-12 * (2.0 + 1e-12))).epsilon(1e-12));
}

TEST_CASE("ctc_loss: the gradient through log_softmax matches finite differences",
          "[unit][losses]") {
  Tensor z = randn({5, 2, 4}, DType::f64);
  Tensor targets = idx({1, 1, 2, 3, 0, 0}, {2, 3});
  Tensor in_len = idx({5, 4}, {2}), tg_len = idx({3, 1}, {2});
  CtcLossOptions o;
  auto f = [&](const Tensor& logits) {
    return ctc_loss(log_softmax(logits, 2), targets, in_len, tg_len, o);
  };
  Tensor leaf = z.detach().requires_grad_();
  f(leaf).backward();
  std::vector<double> g = leaf.grad().to_vector<double>(), base = z.to_vector<double>();
  double worst = 0;
  for (size_t i = 0; i < base.size(); ++i) {
    std::vector<double> up = base, down = base;
    up[i] += 1e-6;
    down[i] -= 1e-6;
    double fd = (f(vec(up, z.shape())).item() - f(vec(down, z.shape())).item()) / 2e-6;
    worst = std::max(worst, std::fabs(fd - g[i]));
  }
  CHECK(worst < 1e-7);
  // The rule is not differentiable: double backward is refused.
  Tensor again = z.detach().requires_grad_();
  GradOptions create;
  create.create_graph = true;
  CHECK_THROWS_WITH(grad({f(again)}, {again}, {}, create),
                    Catch::Contains("[ctc_loss] double backward"));
}

TEST_CASE("ctc_loss: infeasible alignments, by hand values and bad input", "[unit][losses]") {
  // T = 1, C = 2, blank 0, target [1]: p = softmax at class 1.
  Tensor lp = log(vec({0.25, 0.75}, {1, 1, 2}));
  Tensor one = idx({1}, {1});
  CtcLossOptions o;
  o.reduction = "sum";
  CHECK(ctc_loss(lp, idx({1}, {1, 1}), one, one, o).item() == Approx(-std::log(0.75)));
  // T = 2, target [1]: alignments 1 1, 0 1, 1 0.
  Tensor lp2 = log(vec({0.25, 0.75, 0.5, 0.5}, {2, 1, 2}));
  double p = 0.75 * 0.5 + 0.25 * 0.5 + 0.75 * 0.5;
  CHECK(ctc_loss(lp2, idx({1}, {1, 1}), idx({2}, {1}), one, o).item() ==
        Approx(-std::log(p)).epsilon(1e-12));
  // Repeats 1 1 need 3 frames: with 2 the loss is inf and the gradient 0 (PyTorch: NaN);
  // zero_infinity makes the loss 0.
  Tensor leaf = lp2.detach().requires_grad_();
  Tensor inf = ctc_loss(leaf, idx({1, 1}, {1, 2}), idx({2}, {1}), idx({2}, {1}), o);
  CHECK(std::isinf(inf.item()));
  inf.backward();
  CHECK(sum(abs(leaf.grad())).item() == 0.0);
  o.zero_infinity = true;
  CHECK(ctc_loss(lp2, idx({1, 1}, {1, 2}), idx({2}, {1}), idx({2}, {1}), o).item() == 0.0);
  o = {};
  Tensor t = idx({1, 1}, {1, 2}), l2 = idx({2}, {1});
  CHECK_THROWS_WITH(ctc_loss(lp2, cast(t, DType::f64), l2, l2),
                    Catch::Contains("[ctc_loss] targets must hold integer"));
  CHECK_THROWS_WITH(ctc_loss(lp2, idx({1, 2}, {1, 2}), l2, l2),
                    Catch::Contains("[ctc_loss] targets holds class index 2"));
  CHECK_THROWS_WITH(ctc_loss(lp2, idx({1, 0}, {1, 2}), l2, l2),
                    Catch::Contains("[ctc_loss] targets of sample 0 hold the blank 0"));
  CHECK_THROWS_WITH(ctc_loss(lp2, t, idx({3}, {1}), l2),
                    Catch::Contains("[ctc_loss] input_lengths[0] = 3 must lie in [0, 2]"));
  CHECK_THROWS_WITH(ctc_loss(lp2, t, l2, idx({3}, {1})),
                    Catch::Contains("[ctc_loss] target_lengths[0] = 3 exceeds"));
  CHECK_THROWS_WITH(ctc_loss(lp2, t, cast(l2, DType::f64), l2),
                    Catch::Contains("[ctc_loss] input_lengths must be an integer tensor"));
  o.blank = 2;
  CHECK_THROWS_WITH(ctc_loss(lp2, t, l2, l2, o), Catch::Contains("[ctc_loss] blank must lie"));
}
