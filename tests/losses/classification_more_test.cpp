// fedld_marginal_log_loss, anyloss, normalized_softmax_loss, ebv_generation_loss: bad input
// names the op; values by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("second-slice classification losses reject bad input, naming the op",
          "[unit][losses][errors]") {
  Tensor z = zeros({3, 4});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2}, {3});
  CHECK_THROWS_WITH(fedld_marginal_log_loss(z, cast(y, DType::f32)),
                    Catch::Contains("[fedld_marginal_log_loss] class-index targets"));
  CHECK_THROWS_WITH(fedld_marginal_log_loss(z, from_vector(std::vector<int64_t>{0, 9, 1}, {3})),
                    Catch::Contains("[fedld_marginal_log_loss] target 9 out of range"));
  Tensor p = full({3}, 0.5);
  AnylossOptions a;
  CHECK_THROWS_WITH(anyloss(p, y), Catch::Contains("[anyloss] labels must be 0 or 1"));
  Tensor b = from_vector(std::vector<int64_t>{0, 1, 1}, {3});
  CHECK_THROWS_WITH(anyloss(p, b), Catch::Contains("[anyloss] L is required"));
  a.L = 10;
  a.metric = "f1";
  CHECK_THROWS_WITH(anyloss(p, b, a), Catch::Contains("[anyloss] metric"));
  CHECK_THROWS_WITH(anyloss(p, cast(b, DType::f32), a), Catch::Contains("[anyloss] labels"));
  CHECK_THROWS_WITH(normalized_softmax_loss(zeros({3, 4}), zeros({2, 5}), y),
                    Catch::Contains("[normalized_softmax_loss] proxies"));
  CHECK_THROWS_WITH(normalized_softmax_loss(zeros({3, 4}), zeros({2, 4}), y),
                    Catch::Contains("[normalized_softmax_loss] target 2 out of range"));
  CHECK_THROWS_WITH(ebv_generation_loss(zeros({3})), Catch::Contains("[ebv_generation_loss]"));
  EbvGenerationLossOptions e;
  e.thr = -1;
  CHECK_THROWS_WITH(ebv_generation_loss(zeros({2, 2}), e),
                    Catch::Contains("[ebv_generation_loss] thr"));
}

TEST_CASE("second-slice classification losses: values by hand", "[unit][losses]") {
  // fedld: z = 0 [1, 2]: CE log 2, ||P||^2 = 0.5
  Tensor z = zeros({1, 2}, DType::f64);
  Tensor y0 = from_vector(std::vector<int64_t>{0}, {1});
  CHECK(fedld_marginal_log_loss(z, y0, {1.0}).item() ==
        Approx(std::log(2.0) + std::log(1.5)).epsilon(1e-14));
  // anyloss acc at p = 0.5: a = 0.5 everywhere, TP + TN = N/2: 1 - 0.5
  Tensor p = full({4}, 0.5, DType::f64);
  Tensor lab = from_vector(std::vector<int64_t>{1, 0, 1, 1}, {4});
  AnylossOptions a;
  a.L = 73;
  a.metric = "acc";
  CHECK(anyloss(p, lab, a).item() == Approx(0.5).epsilon(1e-14));
  // confident, correct probabilities: every metric near its best (loss near 0)
  Tensor good = from_vector(std::vector<double>{0.99, 0.01, 0.99, 0.99}, {4});
  for (const char* m : {"fbeta", "gmean", "gmean_sqrt", "bacc", "acc"}) {
    a.metric = m;
    CHECK(anyloss(good, lab, a).item() == Approx(0.0).margin(1e-4));
  }
  // normalized softmax: x along proxy 0, orthogonal to proxy 1: logits (1/T, 0)
  Tensor x = from_vector(std::vector<double>{2, 0}, {1, 2});
  Tensor w = from_vector(std::vector<double>{3, 0, 0, 5}, {2, 2});
  NormalizedSoftmaxLossOptions o;
  o.temperature = 0.5;
  CHECK(normalized_softmax_loss(x, w, y0, o).item() ==
        Approx(std::log1p(std::exp(-2.0))).epsilon(1e-14));
  // ebv: rows at 60 degrees: |cos| = 0.5 twice off the diagonal, thr 0.1: 2 * 0.4
  Tensor r = from_vector(std::vector<double>{1, 0, 0.5, std::sqrt(0.75)}, {2, 2});
  EbvGenerationLossOptions e;
  e.thr = 0.1;
  CHECK(ebv_generation_loss(r, e).item() == Approx(0.8).epsilon(1e-14));
}

TEST_CASE("fixmatch_confidence_ce: errors, no confident pixel, all ignored", "[unit][losses]") {
  Tensor s = randn({1, 2, 2, 2}, DType::f64).requires_grad_();
  Tensor w = zeros({1, 2, 2, 2}, DType::f64);   // uniform teacher: conf 0.5 everywhere
  Tensor ig = zeros({1, 2, 2}, DType::i64);
  CHECK_THROWS_WITH(fixmatch_confidence_ce(s, w, zeros({1, 2, 2})),
                    Catch::Contains("[fixmatch_confidence_ce] ignore must be integers"));
  FixmatchConfidenceCeOptions o;
  o.mode = "pixel";
  CHECK_THROWS_WITH(fixmatch_confidence_ce(s, w, ig, o),
                    Catch::Contains("[fixmatch_confidence_ce] mode"));
  Tensor none = fixmatch_confidence_ce(s, w, ig);
  CHECK(none.item() == 0.0);
  none.backward();
  for (double g : s.grad().to_vector<double>()) CHECK(g == 0.0);
  // tau 0.5 keeps every pixel: the mean cross-entropy to class 0 (the argmax's first tie)
  o.mode = "pixelwise";
  o.tau = 0.5;
  Tensor flat = reshape(permute(s.detach(), {0, 2, 3, 1}), {4, 2});
  CHECK(fixmatch_confidence_ce(s, w, ig, o).item() ==
        Approx(cross_entropy(flat, zeros({4}, DType::i64)).item()).epsilon(1e-14));
  Tensor all = full({1, 2, 2}, 255, DType::i64);
  CHECK(fixmatch_confidence_ce(s, w, all, o).item() == 0.0);
}

TEST_CASE("ebv_logits: errors, cosine over tau", "[unit][losses]") {
  CHECK_THROWS_WITH(ebv_logits(zeros({2, 3}), zeros({4, 2})), Catch::Contains("[ebv_logits]"));
  CHECK_THROWS_WITH(ebv_logits(zeros({2, 3}), zeros({4, 3}), 0.0),
                    Catch::Contains("[ebv_logits] tau"));
  Tensor f = from_vector(std::vector<double>{3, 4}, {1, 2});
  Tensor e = from_vector(std::vector<double>{1, 0, 0, 1}, {2, 2});
  CHECK(ebv_logits(f, e, 0.5).to_vector<double>() == std::vector<double>{1.2, 1.6});
}

TEST_CASE("dequity_focal_loss: errors and the weights by hand", "[unit][losses]") {
  CHECK_THROWS_WITH(dequity_focal_loss(zeros({3}), zeros({4})),
                    Catch::Contains("[dequity_focal_loss]"));
  DequityFocalLossOptions o;
  o.gamma = -1;
  CHECK_THROWS_WITH(dequity_focal_loss(zeros({3}), zeros({3}), o),
                    Catch::Contains("[dequity_focal_loss] eta and gamma"));
  // likelihood 1: weight eta / (eta + 1) = 0.5; likelihood 0.5, gamma 5: (1 + 1/32) / 2
  Tensor l = from_vector(std::vector<double>{2, 4}, {2});
  Tensor p = from_vector(std::vector<double>{1, 0.5}, {2});
  CHECK(dequity_focal_loss(l, p, {1.0, 5.0, "sum"}).item() ==
        Approx(1.0 + 4 * (1 + 1.0 / 32) / 2).epsilon(1e-15));
}

TEST_CASE("deep_supervision_loss: errors, and the local-learning procedure it serves",
          "[unit][losses]") {
  Tensor y = from_vector(std::vector<int64_t>{0, 2, 1, 2}, {4});
  Tensor w = from_vector(std::vector<double>{0.3, 1.0}, {2});
  CHECK_THROWS_WITH(deep_supervision_loss({zeros({4, 3}), zeros({4, 2})}, y, w),
                    Catch::Contains("[deep_supervision_loss] every head must give"));
  CHECK_THROWS_WITH(deep_supervision_loss({zeros({4, 3})}, y, w),
                    Catch::Contains("[deep_supervision_loss] weights must be [M] = [1]"));
  CHECK_THROWS_WITH(deep_supervision_loss({}, y, w),
                    Catch::Contains("[deep_supervision_loss] needs at least one head"));
  // two blocks, gradient isolation: block 2 reads sg(h1), so block 1's weights see only the
  // first head's term
  Tensor x = randn({4, 3}, DType::f64);
  Tensor w1 = randn({3, 3}, DType::f64).requires_grad_();
  Tensor w2 = randn({3, 3}, DType::f64).requires_grad_();
  Tensor h1 = matmul(x, w1);
  Tensor h2 = matmul(h1.detach(), w2);
  Tensor loss = deep_supervision_loss({h1, h2}, y, w);
  CHECK(loss.item() == Approx(0.3 * cross_entropy(h1, y).item() + cross_entropy(h2, y).item())
                           .epsilon(1e-13));
  loss.backward();
  Tensor g1 = grad({0.3 * cross_entropy(matmul(x, w1), y)}, {w1})[0];
  std::vector<double> a = w1.grad().to_vector<double>(), b = g1.to_vector<double>();
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).epsilon(1e-12));
}

TEST_CASE("ensloss: errors, the defined gradient is calibrated and monotone", "[unit][losses]") {
  Tensor f = from_vector(std::vector<double>{0.5, -1.0, 2.0, 0.1}, {4}).requires_grad_();
  Tensor y = from_vector(std::vector<int64_t>{1, 1, 1, 0}, {4});
  Tensor u = from_vector(std::vector<double>{0.3, -1.2, 0.8, 0.0}, {4});
  CHECK_THROWS_WITH(ensloss(f, from_vector(std::vector<int64_t>{1, 2, 0, 0}, {4}), u),
                    Catch::Contains("[ensloss] labels must be 0 or 1"));
  ensloss(f, y, u).backward();
  // margins (0.5, -1, 2, -0.1); dL/dm = (g - 1e-6) / 4 with g non-decreasing in the margin
  // (before the division of margins > 1) and negative
  std::vector<double> g = f.grad().to_vector<double>();
  std::vector<double> dm = {g[0], g[1], g[2], -g[3]};   // dL/dm = y dL/df
  for (double v : dm) CHECK(v < 0);
  CHECK(dm[1] <= dm[3]);
  CHECK(dm[3] <= dm[0]);
}
