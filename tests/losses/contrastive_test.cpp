// The contrastive losses (losses/contrastive/): bad input names the op; values by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/contrastive/contrastive.h"

using namespace lathe;

namespace {
Tensor ints(std::vector<int64_t> v) {
  int64_t n = v.size();
  return from_vector(v, {n});
}
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s, DType::f64); }
}  // namespace

TEST_CASE("contrastive losses reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor a = randn({4, 3}, DType::f64), b = randn({4, 3}, DType::f64);
  Tensor odd = randn({5, 3}, DType::f64);
  InbatchInfonceLossOptions ib;
  ib.tau = 0;
  CHECK_THROWS_WITH(inbatch_infonce_loss(a, b, ib),
                    Catch::Contains("[inbatch_infonce_loss] tau must be > 0"));
  CHECK_THROWS_WITH(inbatch_infonce_loss(a, odd), Catch::Contains("[inbatch_infonce_loss]"));
  CHECK_THROWS_WITH(inbatch_infonce_loss(randn({4}, DType::f64), randn({4}, DType::f64)),
                    Catch::Contains("[inbatch_infonce_loss] z1 must have 2 dims"));
  NtXentLossOptions nt;
  nt.tau = -0.5;
  CHECK_THROWS_WITH(nt_xent_loss(a, b, nt), Catch::Contains("[nt_xent_loss] tau must be > 0"));
  InfoNceLossOptions in;
  in.negatives = randn({4, 2, 3}, DType::f64);  // [N, M, D] with the default 'unpaired'
  CHECK_THROWS_WITH(info_nce_loss(a, b, in),
                    Catch::Contains("[info_nce_loss] negatives must have 2 dims"));
  in.negative_mode = "paired";
  in.negatives = randn({3, 2, 3}, DType::f64);
  CHECK_THROWS_WITH(info_nce_loss(a, b, in), Catch::Contains("[info_nce_loss] negatives"));
  in.negative_mode = "shared";
  CHECK_THROWS_WITH(info_nce_loss(a, b, in), Catch::Contains("[info_nce_loss] negative_mode"));
  in = {};
  in.tau = 0;
  CHECK_THROWS_WITH(info_nce_loss(a, b, in), Catch::Contains("[info_nce_loss] tau must be > 0"));
  CHECK_THROWS_WITH(clip_contrastive_loss(a, b, f64({1, 2}, {2})),
                    Catch::Contains("[clip_contrastive_loss] logit_scale must hold one value"));
  Tensor f = randn({4, 2, 3}, DType::f64);
  Tensor y = ints({0, 1, 0, 1});
  CHECK_THROWS_WITH(supcon_loss(a, y),
                    Catch::Contains("[supcon_loss] features must have 3 dims"));
  CHECK_THROWS_WITH(supcon_loss(f, cast(y, DType::f32)),
                    Catch::Contains("[supcon_loss] labels must be integers"));
  CHECK_THROWS_WITH(supcon_loss(f, ints({0, 1})),
                    Catch::Contains("[supcon_loss] labels must have shape [4]"));
  SupconLossOptions sc;
  sc.tau = 0;
  CHECK_THROWS_WITH(supcon_loss(f, y, sc), Catch::Contains("[supcon_loss] tau must be > 0"));
  sc = {};
  sc.no_positive = "skip";
  CHECK_THROWS_WITH(supcon_loss(f, y, sc), Catch::Contains("[supcon_loss] no_positive"));
  HardContrastiveLossOptions hc;
  hc.k = 4;
  CHECK_THROWS_WITH(hard_contrastive_loss(a, b, hc),
                    Catch::Contains("[hard_contrastive_loss] k must lie in [0, B - 1]"));
  CHECK_THROWS_WITH(uniformity_loss(randn({1, 3}, DType::f64)),
                    Catch::Contains("[uniformity_loss] needs at least 2 embeddings"));
  CHECK_THROWS_WITH(sdm_loss(a, b, cast(y, DType::f64)),
                    Catch::Contains("[sdm_loss] labels must be integers"));
  CHECK_THROWS_WITH(decoupled_softmax_loss(a, a),
                    Catch::Contains("[decoupled_softmax_loss] positive_mask must be a bool"));
}

TEST_CASE("contrastive losses: values by hand, one-sample batches", "[unit][losses]") {
  // Two orthogonal unit pairs, tau 1: l = log(e^1 + e^0) - 1 per row.
  Tensor z = f64({1, 0, 0, 1}, {2, 2});
  InbatchInfonceLossOptions o;
  o.tau = 1.0;
  CHECK(inbatch_infonce_loss(z, z, o).item() ==
        Approx(std::log(std::exp(1.0) + 1.0) - 1.0).epsilon(1e-14));
  // B = 1: the positive is the only column (nt_xent: the only other row): 0.
  Tensor one = f64({0.3, -2.0, 1.0}, {1, 3}), other = f64({1.0, 0.5, 0.0}, {1, 3});
  CHECK(inbatch_infonce_loss(one, other).item() == Approx(0.0).margin(1e-15));
  CHECK(nt_xent_loss(one, other).item() == Approx(0.0).margin(1e-15));
  CHECK(clip_contrastive_loss(one, other, f64({2.0}, {})).item() == Approx(0.0).margin(1e-15));
  // supcon with no anchor holding a positive: 0 with a graph (exclude), 0 (zero).
  Tensor f = randn({3, 1, 2}, DType::f64);
  f.requires_grad_(true);
  Tensor l = supcon_loss(f, ints({0, 1, 2}));
  CHECK(l.item() == 0.0);
  l.backward();
  for (double g : f.grad().to_vector<double>()) CHECK(g == 0.0);
  // uniformity of two antipodal unit rows, t 2: log e^{-8} = -8.
  CHECK(uniformity_loss(f64({1, 0, -1, 0}, {2, 2})).item() == Approx(-8.0).epsilon(1e-14));
}
