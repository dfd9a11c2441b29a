// ldr_kl_loss, kl_dro_loss: bad input names the op; the limits by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

TEST_CASE("ldr_kl_loss and kl_dro_loss reject bad input, naming the op",
          "[unit][losses][errors]") {
  Tensor h = zeros({3, 4});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2}, {3});
  CHECK_THROWS_WITH(ldr_kl_loss(h, cast(y, DType::f32)),
                    Catch::Contains("[ldr_kl_loss] class-index targets must be integers"));
  CHECK_THROWS_WITH(ldr_kl_loss(h, from_vector(std::vector<int64_t>{0, 1, 4}, {3})),
                    Catch::Contains("[ldr_kl_loss] target 4 out of range"));
  LdrKlLossOptions bad;
  bad.lam = 0;
  CHECK_THROWS_WITH(ldr_kl_loss(h, y, bad), Catch::Contains("[ldr_kl_loss] lam must be > 0"));
  CHECK_THROWS_WITH(kl_dro_loss(zeros({3})), Catch::Contains("[kl_dro_loss] r is required"));
  CHECK_THROWS_WITH(kl_dro_loss(zeros({3}), {-1.0}), Catch::Contains("[kl_dro_loss] r must"));
  CHECK_THROWS_WITH(kl_dro_loss(zeros({3, 1}), {1.0}), Catch::Contains("[kl_dro_loss] losses"));
}

TEST_CASE("ldr_kl_loss: CE - log C at c 0, lambda 1, and the kl_dro_loss limits",
          "[unit][losses]") {
  Tensor h = randn({6, 5}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 4, 2, 1, 3, 3}, {6});
  LdrKlLossOptions o;
  o.margin = 0;
  o.softplus_norm = false;
  CHECK(ldr_kl_loss(h, y, o).item() ==
        Approx(cross_entropy(h, y).item() - std::log(5.0)).epsilon(1e-13));
  // small lambda: close to the hinge max_k d_k
  o.lam = 1e-4;
  o.margin = 1;
  std::vector<double> hv = h.to_vector<double>();
  double hinge = 0;
  for (int k = 0; k < 5; ++k) hinge = std::max(hinge, hv[k] - hv[0] + (k != 0 ? 1.0 : 0.0));
  LdrKlLossOptions one = o;
  one.reduction = "none";
  CHECK(ldr_kl_loss(h, y, one).to_vector<double>()[0] == Approx(hinge).margin(1e-3));
  Tensor l = from_vector(std::vector<double>{0.1, 0.9, 0.4}, {3});
  CHECK(kl_dro_loss(l, {1e-3}).item() == Approx(0.9).margin(2e-3));
  CHECK(kl_dro_loss(l, {1e6}).item() == Approx(0.4667).margin(1e-3));
}

TEST_CASE("loss_reweight: errors, detached weights, equal losses weigh equally",
          "[unit][losses]") {
  CHECK_THROWS_WITH(loss_reweight(zeros({3}), {"cubic"}),
                    Catch::Contains("[loss_reweight] strategy"));
  CHECK_THROWS_WITH(loss_reweight(zeros({3}), {"linupper", 0.0}),
                    Catch::Contains("[loss_reweight] delta"));
  // losses (0, 1): l^ = (-1, 1), linupper g = (0, 1), w = softmax(0, 1)
  Tensor l = from_vector(std::vector<double>{0, 1}, {2}).requires_grad_();
  Tensor out = loss_reweight(l);
  double w1 = std::exp(1.0) / (1 + std::exp(1.0));
  CHECK(out.item() == Approx(w1).epsilon(1e-14));
  out.backward();
  CHECK(l.grad().to_vector<double>()[0] == Approx(1 - w1).epsilon(1e-14));
  CHECK(l.grad().to_vector<double>()[1] == Approx(w1).epsilon(1e-14));
  CHECK(loss_reweight(full({4}, 0.7, DType::f64)).item() == Approx(0.7).epsilon(1e-14));
}

TEST_CASE("aldr_kl_loss: errors, the buffer update, lambda_0 on uniform scores",
          "[unit][losses]") {
  Tensor h = randn({3, 4}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 3, 1}, {3});
  Tensor idx = from_vector(std::vector<int64_t>{4, 0, 4}, {3});
  Tensor state = ones({5, 1}, DType::f64);
  CHECK_THROWS_WITH(aldr_kl_loss(h, y, state, from_vector(std::vector<int64_t>{0, 1, 5}, {3})),
                    Catch::Contains("[aldr_kl_loss] index 5 out of range"));
  CHECK_THROWS_WITH(aldr_kl_loss(h, y, ones({5}, DType::f64), idx),
                    Catch::Contains("[aldr_kl_loss] lam_state must be [N_dataset, 1]"));
  AldrKlLossResult r = aldr_kl_loss(h, y, state, idx);
  std::vector<double> before = state.to_vector<double>(), after = r.lam_state.to_vector<double>();
  CHECK(before == std::vector<double>(5, 1.0));   // the input buffer is left alone
  CHECK(after[1] == 1.0);                          // untouched rows keep their value
  CHECK(after[0] < 1.0);                           // KL > 0 lowers lambda below lambda_0
  AldrKlLossOptions none;
  none.reduction = "none";
  // uniform scores: q uniform, KL 0, lambda = lambda_0; the loss is ldr_kl_loss's at lambda_0
  Tensor flat = ones({2, 4}, DType::f64);
  Tensor y2 = from_vector(std::vector<int64_t>{0, 2}, {2});
  Tensor i2 = from_vector(std::vector<int64_t>{0, 1}, {2});
  AldrKlLossResult u = aldr_kl_loss(flat, y2, state, i2, none);
  LdrKlLossOptions ldr;
  ldr.margin = 1;
  ldr.softplus_norm = false;
  ldr.reduction = "none";
  CHECK(u.loss.to_vector<double>()[0] ==
        Approx(ldr_kl_loss(flat, y2, ldr).to_vector<double>()[0]).epsilon(1e-12));
  CHECK(u.lam_state.to_vector<double>()[0] == Approx(1.0).epsilon(1e-9));
}
