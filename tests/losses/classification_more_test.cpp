// fedld_marginal_log_loss, anyloss, normalized_softmax_loss, ebv_generation_loss: bad input
// names the op; values by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/classification/classification2.h"

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
