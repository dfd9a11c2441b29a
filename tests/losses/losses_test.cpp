// Losses: behaviour the generic runners do not reach (errors, ignored rows, fused paths).
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("cross_entropy: every row ignored gives 0 and zero gradients", "[unit][losses]") {
  Tensor z = randn({3, 4}, DType::f64).requires_grad_();
  Tensor y = from_vector(std::vector<int64_t>{-100, -100, -100}, {3});
  Tensor loss = cross_entropy(z, y);
  CHECK(loss.item() == 0.0);
  CHECK(grad({loss}, {z})[0].to_vector<double>() == std::vector<double>(12, 0.0));
  CrossEntropyOptions sum_o;
  sum_o.reduction = "sum";
  CHECK(cross_entropy(z, y, sum_o).item() == 0.0);
}

TEST_CASE("cross_entropy matches log_softmax + gather on every device", "[unit][losses]") {
  for (const Backend* b : backends()) {
    if (b->device_count() == 0) continue;
    Device d{static_cast<int16_t>(b->id()), 0};
    INFO(b->name());
    Tensor z = randn({6, 5}, DType::f32, Device::reference()).to(d).requires_grad_();
    Tensor y = from_vector(std::vector<int64_t>{0, 4, 2, 2, 1, 3}, {6}, d);
    Tensor loss = cross_entropy(z, y);
    Tensor ref = -mean(gather(log_softmax(z, 1), unsqueeze(y, 1), 1));
    CHECK(loss.item() == Approx(ref.item()).epsilon(1e-5));
    Tensor g1 = grad({loss}, {z})[0], g2 = grad({ref}, {z})[0];
    std::vector<float> a = g1.to_vector<float>(), e = g2.to_vector<float>();
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(e[i]).margin(1e-6));
  }
}

TEST_CASE("losses reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = zeros({3, 4});
  CHECK_THROWS_WITH(cross_entropy(z, from_vector(std::vector<int64_t>{0, 1}, {2})),
                    Catch::Contains("[cross_entropy]") && Catch::Contains("[3]"));
  CHECK_THROWS_WITH(cross_entropy(z, from_vector(std::vector<int64_t>{0, 1, 7}, {3})),
                    Catch::Contains("7"));
  CrossEntropyOptions bad;
  bad.reduction = "avg";
  CHECK_THROWS_WITH(cross_entropy(z, from_vector(std::vector<int64_t>{0, 1, 2}, {3}), bad),
                    Catch::Contains("[cross_entropy] reduction"));
  CHECK_THROWS_WITH(mse_loss(z, zeros({4})), Catch::Contains("[mse_loss]"));
  CHECK_THROWS_WITH(l1_loss(z, zeros({3, 4}), {"mean!"}), Catch::Contains("[l1_loss] reduction"));
  KdOptions kd;
  kd.temperature = 0;
  CHECK_THROWS_WITH(kd_kl_loss(z, z, kd), Catch::Contains("[kd_kl_loss] temperature"));
  kd.temperature = 2;
  kd.variant = "cls_kd";
  CHECK_THROWS_WITH(kd_kl_loss(z, z, kd), Catch::Contains("cls_kd needs labels"));
}

TEST_CASE("kd_kl_loss: identical logits give 0, the teacher gets no gradient", "[unit][losses]") {
  Tensor s = randn({4, 5}, DType::f64).requires_grad_();
  Tensor t = s.detach().clone().requires_grad_();
  Tensor loss = kd_kl_loss(s, t);
  CHECK(std::fabs(loss.item()) < 1e-12);
  loss.backward();
  CHECK_FALSE(t.grad().defined());
  // extreme teacher logits: p^t has exact zeros, the loss stays finite
  Tensor t2 = from_vector(std::vector<double>{1e4, 0, -1e4, 0, 0, 0}, {2, 3});
  CHECK(std::isfinite(kd_kl_loss(randn({2, 3}, DType::f64), t2).item()));
}

TEST_CASE("l1_loss's subgradient at equality is 0", "[unit][losses]") {
  Tensor x = from_vector(std::vector<double>{1.0, 2.0}, {2}).requires_grad_();
  Tensor y = from_vector(std::vector<double>{1.0, 3.0}, {2});
  l1_loss(x, y, {"sum"}).backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>{0.0, -1.0});
}

TEST_CASE("bce_with_logits rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = zeros({4, 3}), t = zeros({4, 3});
  CHECK_THROWS_WITH(bce_with_logits(z, zeros({4, 2})),
                    Catch::Contains("[bce_with_logits]") && Catch::Contains("[4, 2]"));
  CHECK_THROWS_WITH(bce_with_logits(z, cast(t, DType::i64)),
                    Catch::Contains("[bce_with_logits] target"));
  BceWithLogitsOptions o;
  o.pos_weight = ones({2});
  CHECK_THROWS_WITH(bce_with_logits(z, t, o), Catch::Contains("[bce_with_logits]"));
  o.pos_weight = ones({3});
  o.weight = ones({2, 4, 3});
  CHECK_THROWS_WITH(bce_with_logits(z, t, o),
                    Catch::Contains("[bce_with_logits] weight [2, 4, 3] must broadcast"));
  o.weight = Tensor();
  o.reduction = "avg";
  CHECK_THROWS_WITH(bce_with_logits(z, t, o), Catch::Contains("[bce_with_logits] reduction"));
}

TEST_CASE("bce_with_logits: saturated logits stay finite, the target gets -z", "[unit][losses]") {
  Tensor z = from_vector(std::vector<double>{1e4, -1e4, 0.5}, {3});
  Tensor t = from_vector(std::vector<double>{0.0, 1.0, 0.3}, {3}).requires_grad_();
  BceWithLogitsOptions o;
  o.reduction = "none";
  std::vector<double> l = bce_with_logits(z, t, o).to_vector<double>();
  CHECK(l[0] == 1e4);  // (1 - t) z + softplus(-z) = 1e4 + 0 with t = 0
  CHECK(l[1] == 1e4);  // 0 + softplus(1e4) with t = 1
  CHECK(std::isfinite(l[2]));
  CHECK(grad({sum(bce_with_logits(z, t, o))}, {t})[0].to_vector<double>() ==
        std::vector<double>{-1e4, 1e4, -0.5});
}
