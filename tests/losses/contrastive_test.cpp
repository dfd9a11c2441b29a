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
  CHECK_THROWS_WITH(taco_bilinear_infonce(a, randn({2, 2}, DType::f64), b),
                    Catch::Contains("[taco_bilinear_infonce] w must have shape [3, 3]"));
  CHECK_THROWS_WITH(mixco_nce_loss(a, b, randn({4}, DType::f64), ints({0, 1, 2, 4})),
                    Catch::Contains("[mixco_nce_loss] perm must lie in [0, 4), got 4"));
  SoftClipLossOptions soft;
  soft.tau = 0;
  CHECK_THROWS_WITH(soft_clip_loss(a, b, soft), Catch::Contains("[soft_clip_loss] tau must be"));
  CHECK_THROWS_WITH(barlip_loss(a, odd), Catch::Contains("[barlip_loss]"));
  CHECK_THROWS_WITH(sigreg_loss(a, randn({3, 4}, DType::f64)),
                    Catch::Contains("[sigreg_loss] proj must have 3 dims"));
  CHECK_THROWS_WITH(lejepa_loss(f, randn({2, 4}, DType::f64)),
                    Catch::Contains("[lejepa_loss] directions must have shape [3, 4]"));
  CHECK_THROWS_WITH(compa_contrastive_loss(a, randn({12, 3}, DType::f64)),
                    Catch::Contains("[compa_contrastive_loss] text must have shape [16, 3]"));
  ClipnTextSemanticOppositeLossOptions cm;
  cm.mode = "L1";
  CHECK_THROWS_WITH(clipn_text_semantic_opposite_loss(a, b, cm),
                    Catch::Contains("[clipn_text_semantic_opposite_loss] mode must be L2"));
  CHECK_THROWS_WITH(clipn_binary_opposite_loss(a, b, odd),
                    Catch::Contains("[clipn_binary_opposite_loss] text_no must have shape"));
  CHECK_THROWS_WITH(swalip_loss(f, f), Catch::Contains("[swalip_loss] h_img must stack 2 views"));
  CHECK_THROWS_WITH(decoupled_softmax_loss(a, a),
                    Catch::Contains("[decoupled_softmax_loss] positive_mask must be a bool"));
}

TEST_CASE("clip_contrastive_loss: tiled equals untiled to 1e-10 in f64 with gradients",
          "[unit][losses]") {
  const int64_t b = 11;
  Tensor img = randn({b, 6}, DType::f64), txt = randn({b, 6}, DType::f64);
  Tensor t = from_vector(std::vector<double>{2.3}, {}, DType::f64);
  auto run = [&](int64_t tile, double eps, std::vector<std::vector<double>>* grads) {
    Tensor i = img.clone(), x = txt.clone(), s = t.clone();
    for (Tensor* p : {&i, &x, &s}) p->requires_grad_(true);
    ClipContrastiveLossOptions o;
    o.tile = tile;
    o.label_smoothing = eps;
    Tensor l = clip_contrastive_loss(i, x, s, o);
    l.backward();
    *grads = {i.grad().to_vector<double>(), x.grad().to_vector<double>(),
              s.grad().to_vector<double>()};
    return l.item();
  };
  for (double eps : {0.0, 0.1}) {
    std::vector<std::vector<double>> want, got;
    double ref = run(0, eps, &want);
    for (int64_t tile : {1, 2, 3, 4, 5, 11, 16}) {
      INFO("tile " << tile << " eps " << eps);
      CHECK(std::fabs(run(tile, eps, &got) - ref) <= 1e-10);
      for (size_t k = 0; k < want.size(); ++k)
        for (size_t e = 0; e < want[k].size(); ++e)
          CHECK(std::fabs(got[k][e] - want[k][e]) <= 1e-10);
    }
  }
  ClipContrastiveLossOptions bad;
  bad.tile = -1;
  CHECK_THROWS_WITH(clip_contrastive_loss(img, txt, t, bad),
                    Catch::Contains("[clip_contrastive_loss] tile must be >= 0"));
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

TEST_CASE("clip_contrastive_loss: the tiled path holds O(B tile), not O(B^2)", "[unit][losses]") {
  const int64_t b = 1024;
  Tensor img = randn({b, 16}, DType::f64), txt = randn({b, 16}, DType::f64);
  Tensor t = from_vector(std::vector<double>{2.0}, {}, DType::f64);
  auto peak = [&](int64_t tile) {
    Tensor i = img.clone(), x = txt.clone(), s = t.clone();
    for (Tensor* p : {&i, &x, &s}) p->requires_grad_(true);
    ClipContrastiveLossOptions o;
    o.tile = tile;
    Device dev = img.device();
    size_t base = memory_stats(dev).allocated_bytes;
    reset_peak_memory(dev);
    clip_contrastive_loss(i, x, s, o).backward();
    return double(memory_stats(dev).peak_bytes - base);
  };
  double untiled = peak(0), tiled = peak(32);
  // One [B, B] f64 matrix is 8 MiB; the untiled graph keeps several, the tiled one none (it
  // holds [B, D] and [tile, tile] tensors).
  CHECK(untiled > 4.0 * b * b * 8);
  CHECK(tiled < 0.1 * untiled);
}
