// comp_sum_loss: bad input names the op; the four named members of the family.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

namespace {
double comp_sum(const Tensor& z, const Tensor& y, double tau) {
  CompSumLossOptions o;
  o.tau = tau;
  return comp_sum_loss(z, y, o).item();
}
}  // namespace

TEST_CASE("comp_sum_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor z = zeros({3, 4});
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2}, {3});
  CHECK_THROWS_WITH(comp_sum_loss(z, y), Catch::Contains("[comp_sum_loss] tau is required"));
  CompSumLossOptions o;
  o.tau = -0.5;
  CHECK_THROWS_WITH(comp_sum_loss(z, y, o), Catch::Contains("[comp_sum_loss] tau must be >= 0"));
  o.tau = 1;
  CHECK_THROWS_WITH(comp_sum_loss(z, cast(y, DType::f32), o),
                    Catch::Contains("[comp_sum_loss] class-index targets must be integers"));
  CHECK_THROWS_WITH(comp_sum_loss(z, from_vector(std::vector<int64_t>{0, 9, 1}, {3}), o),
                    Catch::Contains("9"));
  o.reduction = "batchmean";
  CHECK_THROWS_WITH(comp_sum_loss(z, y, o), Catch::Contains("[comp_sum_loss] reduction"));
}

TEST_CASE("comp_sum_loss: sum-exp, CE, GCE and MAE members, continuous at tau = 1",
          "[unit][losses]") {
  Tensor z = randn({5, 4}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 3, 1, 1, 2}, {5});
  Tensor p_y = gather(softmax(z, 1), unsqueeze(y, 1), 1);                  // [5, 1]
  Tensor z_y = gather(z, unsqueeze(y, 1), 1);                              // [5, 1]
  double sum_exp = (sum(exp(z - z_y)).item() - 5.0) / 5.0;                 // k != y terms
  CHECK(comp_sum(z, y, 0.0) == Approx(sum_exp).epsilon(1e-13));
  double ce = cross_entropy(z, y).item();
  CHECK(comp_sum(z, y, 1.0) == Approx(ce).epsilon(1e-14));
  CHECK(comp_sum(z, y, 1.0 + 1e-9) == Approx(ce).epsilon(1e-8));
  CHECK(comp_sum(z, y, 1.0 - 1e-9) == Approx(ce).epsilon(1e-8));
  double gce = mean((1.0 - pow(p_y, 0.7)) / 0.7).item();                   // q = 0.7
  CHECK(comp_sum(z, y, 1.7) == Approx(gce).epsilon(1e-13));
  CHECK(comp_sum(z, y, 2.0) == Approx(mean(1.0 - p_y).item()).epsilon(1e-13));
  // A single class: u = 0, the loss is 0 for every tau.
  Tensor one = randn({3, 1}, DType::f64);
  Tensor zero_y = from_vector(std::vector<int64_t>{0, 0, 0}, {3});
  for (double tau : {0.0, 0.5, 1.0, 2.0}) CHECK(comp_sum(one, zero_y, tau) == 0.0);
}
