// The distillation objectives of losses/distill/ beyond kd_kl_loss: bad input names the op,
// and the identities the runners cannot assert (DKD rebuilds KD, top-k with k = V is full KD,
// ignored tokens contribute nothing, temperatures 1 and 8, invariances of the feature
// objectives). One file for the family: each _test file compiles lathe.h on its own.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "lathe.h"

using namespace lathe;

namespace {

Tensor labels_of(std::vector<int64_t> v, Shape shape) { return from_vector(v, shape); }

}  // namespace

TEST_CASE("dkd_loss rejects bad input, naming the op", "[unit][losses][errors]") {
  Tensor s = randn({3, 4}, DType::f64), t = randn({3, 4}, DType::f64);
  DkdOptions o;
  o.target = labels_of({0, 1, 3}, {3});
  CHECK_THROWS_WITH(dkd_loss(s, randn({3, 5}, DType::f64), o),
                    Catch::Contains("[dkd_loss] student and teacher logits"));
  CHECK_THROWS_WITH(dkd_loss(s, t),
                    Catch::Contains("[dkd_loss] class-index targets are missing"));
  DkdOptions bad = o;
  bad.temperature = 0;
  CHECK_THROWS_WITH(dkd_loss(s, t, bad),
                    Catch::Contains("[dkd_loss] temperature must be positive"));
  bad = o;
  bad.temperature = -2;
  CHECK_THROWS_WITH(dkd_loss(s, t, bad), Catch::Contains("[dkd_loss] temperature"));
  bad = o;
  bad.target = cast(o.target, DType::f64);
  CHECK_THROWS_WITH(dkd_loss(s, t, bad), Catch::Contains("[dkd_loss] class-index targets must"));
  bad.target = labels_of({0, 7, 1}, {3});
  CHECK_THROWS_WITH(dkd_loss(s, t, bad), Catch::Contains("[dkd_loss]") && Catch::Contains("7"));
  bad.target = labels_of({0, 1}, {2});
  CHECK_THROWS_WITH(dkd_loss(s, t, bad), Catch::Contains("[dkd_loss] targets"));
  bad.target = labels_of({0}, {1});
  CHECK_THROWS_WITH(dkd_loss(randn({1, 1}), randn({1, 1}), bad),
                    Catch::Contains("[dkd_loss] needs at least 2 classes"));
}

TEST_CASE("dkd_loss: alpha 1 and beta 1 - p_y of the teacher give KD, at T 1 and 8",
          "[unit][losses]") {
  // The paper's identity KD = TCKD + (1 - p^t_y) NCKD, for one sample (beta is per batch).
  for (double temp : {1.0, 8.0}) {
    INFO("T " << temp);
    Tensor s = randn({1, 6}, DType::f64) * 3.0, t = randn({1, 6}, DType::f64) * 3.0;
    DkdOptions o;
    o.target = labels_of({2}, {1});
    o.temperature = temp;
    o.alpha = 1.0;
    o.beta = 1.0 - softmax(t / temp, 1).to_vector<double>()[2];
    KdOptions kd;
    kd.temperature = temp;
    CHECK(dkd_loss(s, t, o).item() == Approx(kd_kl_loss(s, t, kd).item()).epsilon(1e-12));
  }
  // Student equal to teacher: both parts vanish; mdistiller's defaults at a hand value.
  Tensor z = randn({3, 5}, DType::f64);
  DkdOptions o;
  o.target = labels_of({0, 4, 2}, {3});
  CHECK(std::fabs(dkd_loss(z, z, o).item()) < 1e-14);
  // Two classes [a, b], target 0: TCKD is the binary KL, NCKD is 0 (one class left).
  Tensor s2 = from_vector(std::vector<double>{1.0, -1.0}, {1, 2});
  Tensor t2 = from_vector(std::vector<double>{3.0, 0.0}, {1, 2});
  o.target = labels_of({0}, {1});
  o.temperature = 1.0;
  double ps = 1 / (1 + std::exp(-2.0)), pt = 1 / (1 + std::exp(-3.0));
  double kl = pt * std::log(pt / ps) + (1 - pt) * std::log((1 - pt) / (1 - ps));
  CHECK(dkd_loss(s2, t2, o).item() == Approx(kl).epsilon(1e-13));
}

TEST_CASE("token distillation losses reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor s = randn({2, 3, 5}, DType::f64), t = randn({2, 3, 5}, DType::f64);
  using Fn = Tensor (*)(const Tensor&, const Tensor&, const TokenKdOptions&);
  std::vector<std::pair<std::string, Fn>> ops = {{"forward_kl_loss", forward_kl_loss},
                                                 {"reverse_kl_loss", reverse_kl_loss},
                                                 {"generalized_jsd_loss", generalized_jsd_loss}};
  for (auto& [name, fn] : ops) {
    INFO(name);
    std::string tag = "[" + name + "]";
    TokenKdOptions o;
    CHECK_THROWS_WITH(fn(s, randn({2, 3, 6}, DType::f64), o),
                      Catch::Contains(tag + " student and teacher logits"));
    o.temperature = 0;
    CHECK_THROWS_WITH(fn(s, t, o), Catch::Contains(tag + " temperature must be positive"));
    o = {};
    o.labels = labels_of({0, 1, 2}, {3});
    CHECK_THROWS_WITH(fn(s, t, o), Catch::Contains(tag + " labels must be integers [2, 3]"));
    o.labels = cast(labels_of({0, 1, 2, 0, 1, 2}, {2, 3}), DType::f64);
    CHECK_THROWS_WITH(fn(s, t, o), Catch::Contains(tag + " labels must be integers"));
    o = {};
    o.reduction = "batchmean";
    CHECK_THROWS_WITH(fn(s, t, o), Catch::Contains(tag + " reduction"));
  }
  TokenKdOptions o;
  o.beta = 1.5;
  CHECK_THROWS_WITH(generalized_jsd_loss(s, t, o),
                    Catch::Contains("[generalized_jsd_loss] beta must lie in [0, 1]"));
  Tensor v = randn({2, 3, 2}, DType::f64);
  TopkKdOptions k;
  CHECK_THROWS_WITH(topk_kd_loss(s, v, k), Catch::Contains("[topk_kd_loss] teacher_indices"));
  k.teacher_indices = labels_of({0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 9}, {2, 3, 2});
  CHECK_THROWS_WITH(topk_kd_loss(s, v, k),
                    Catch::Contains("[topk_kd_loss] teacher_indices must lie in [0, 5)") &&
                        Catch::Contains("9"));
  k.teacher_indices = zeros({2, 3, 2}, DType::i64);
  CHECK_THROWS_WITH(topk_kd_loss(s, randn({2, 4, 2}, DType::f64), k),
                    Catch::Contains("[topk_kd_loss]"));
  k.teacher_indices = zeros({2, 3, 6}, DType::i64);
  CHECK_THROWS_WITH(topk_kd_loss(s, randn({2, 3, 6}, DType::f64), k),
                    Catch::Contains("[topk_kd_loss]") && Catch::Contains("k <= V"));
  k.teacher_indices = zeros({2, 3, 2}, DType::i64);
  k.temperature = -1;
  CHECK_THROWS_WITH(topk_kd_loss(s, v, k),
                    Catch::Contains("[topk_kd_loss] temperature must be positive"));
}

TEST_CASE("forward_kl_loss is KD over T^2, top-k with k = V is full KD, at T 1 and 8",
          "[unit][losses]") {
  for (double temp : {1.0, 8.0}) {
    INFO("T " << temp);
    Tensor s = randn({4, 7}, DType::f64) * 3.0, t = randn({4, 7}, DType::f64) * 3.0;
    TokenKdOptions o;
    o.temperature = temp;
    KdOptions kd;
    kd.temperature = temp;
    double fkl = forward_kl_loss(s, t, o).item();
    CHECK(fkl * temp * temp == Approx(kd_kl_loss(s, t, kd).item()).epsilon(1e-12));
    // k = V: the teacher's logits in a shuffled order with their ids, and a token ignored.
    Tensor ids = topk(t, 7, 1).second;                   // [4, 7] a permutation
    TopkKdOptions k;
    k.temperature = temp;
    k.teacher_indices = ids;
    CHECK(topk_kd_loss(s, gather(t, ids, 1), k).item() == Approx(fkl).epsilon(1e-12));
    o.labels = k.labels = labels_of({3, -100, 0, 6}, {4});
    CHECK(topk_kd_loss(s, gather(t, ids, 1), k).item() ==
          Approx(forward_kl_loss(s, t, o).item()).epsilon(1e-12));
  }
}

TEST_CASE("token distillation: ignored tokens contribute nothing, value or gradient",
          "[unit][losses]") {
  Tensor s = randn({2, 3, 5}, DType::f64), t = randn({2, 3, 5}, DType::f64) * 2.0;
  Tensor labels = labels_of({1, -100, 4, -100, 2, 0}, {2, 3});
  // The ignored tokens (0, 1) and (1, 0) get other logits: nothing may change.
  Tensor s2 = s + from_vector(std::vector<double>{0, 5, 0, 7, 0, 0}, {2, 3, 1});
  Tensor ids = topk(t, 3, 2).second;                                    // [2, 3, 3]
  Tensor vals = gather(t, ids, 2);
  for (double temp : {1.0, 8.0}) {
    INFO("T " << temp);
    TokenKdOptions o;
    o.labels = labels;
    o.temperature = temp;
    o.beta = 0.3;
    TopkKdOptions k;
    k.labels = labels;
    k.temperature = temp;
    // Ignored tokens' ids are never read: an out-of-range id there is fine.
    k.teacher_indices = where(eq(unsqueeze(labels, 2), -100.0), full({2, 3, 3}, 99, DType::i64),
                              ids);
    std::vector<std::function<Tensor(const Tensor&)>> losses = {
        [&](const Tensor& x) { return forward_kl_loss(x, t, o); },
        [&](const Tensor& x) { return reverse_kl_loss(x, t, o); },
        [&](const Tensor& x) { return generalized_jsd_loss(x, t, o); },
        [&](const Tensor& x) { return topk_kd_loss(x, vals, k); }};
    for (size_t i = 0; i < losses.size(); ++i) {
      INFO("loss " << i);
      Tensor x = s.detach().requires_grad_();
      Tensor l = losses[i](x);
      CHECK(l.item() == Approx(losses[i](s2).item()).epsilon(1e-13));
      l.backward();
      std::vector<double> g = x.grad().to_vector<double>();
      for (int j = 0; j < 5; ++j) {
        CHECK(g[1 * 5 + j] == 0.0);
        CHECK(g[3 * 5 + j] == 0.0);
      }
      CHECK(max(abs(x.grad())).item() > 1e-6);
    }
    // 'mean' is the mean of the 4 kept tokens' 'none' values; 'none' is 0 at the ignored.
    TokenKdOptions none = o;
    none.reduction = "none";
    Tensor rows = forward_kl_loss(s, t, none);                          // [2, 3]
    std::vector<double> r = rows.to_vector<double>();
    CHECK(r[1] == 0.0);
    CHECK(r[3] == 0.0);
    CHECK(forward_kl_loss(s, t, o).item() ==
          Approx((r[0] + r[2] + r[4] + r[5]) / 4).epsilon(1e-13));
  }
}

TEST_CASE("generalized_jsd_loss: symmetric at beta 0.5, below log 2, KL at the ends",
          "[unit][losses]") {
  Tensor s = randn({5, 6}, DType::f64) * 2.0, t = randn({5, 6}, DType::f64) * 2.0;
  TokenKdOptions o;
  double jsd = generalized_jsd_loss(s, t, o).item();
  CHECK(jsd == Approx(generalized_jsd_loss(t, s, o).item()).epsilon(1e-13));
  CHECK(jsd > 0.0);
  CHECK(jsd < std::log(2.0));
  // Disjoint supports (logits +-50): the JSD reaches log 2 while both KLs blow up.
  Tensor a = from_vector(std::vector<double>{50, -50}, {1, 2});
  Tensor b = from_vector(std::vector<double>{-50, 50}, {1, 2});
  CHECK(generalized_jsd_loss(a, b, o).item() == Approx(std::log(2.0)).epsilon(1e-12));
  o.beta = 0.0;
  CHECK(generalized_jsd_loss(s, t, o).item() ==
        Approx(forward_kl_loss(s, t).item()).epsilon(1e-14));
  o.beta = 1.0;
  CHECK(generalized_jsd_loss(s, t, o).item() ==
        Approx(reverse_kl_loss(s, t).item()).epsilon(1e-14));
  // Near the ends the JSD goes to 0 (it is not the KL): the switch is GKD's definition.
  o.beta = 1e-9;
  CHECK(generalized_jsd_loss(s, t, o).item() < 1e-7);
}

TEST_CASE("catalog logit objectives reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor s = randn({3, 4}, DType::f64), t = randn({3, 4}, DType::f64), t5 = randn({3, 5});
  Tensor y = labels_of({0, 1, 3}, {3});
  NkdOptions nkd;
  nkd.target = y;
  CHECK_THROWS_WITH(nkd_loss(s, t5, nkd), Catch::Contains("[nkd_loss] student and teacher"));
  nkd.temp = 0;
  CHECK_THROWS_WITH(nkd_loss(s, t, nkd), Catch::Contains("[nkd_loss] temperature must be"));
  nkd.temp = 1;
  nkd.target = labels_of({0, 4, 1}, {3});
  CHECK_THROWS_WITH(nkd_loss(s, t, nkd), Catch::Contains("[nkd_loss]") && Catch::Contains("4"));
  BinaryKlOptions bkl;
  CHECK_THROWS_WITH(binary_kl_loss(s, t5, bkl), Catch::Contains("[binary_kl_loss] student"));
  CHECK_THROWS_WITH(binary_kl_norm_loss(s, t5, bkl),
                    Catch::Contains("[binary_kl_norm_loss] student"));
  bkl.T = -1;
  CHECK_THROWS_WITH(binary_kl_loss(s, t, bkl), Catch::Contains("[binary_kl_loss] temperature"));
  CHECK_THROWS_WITH(binary_kl_norm_loss(s, t, bkl),
                    Catch::Contains("[binary_kl_norm_loss] temperature"));
  GpgOptions gpg;
  gpg.target = y;
  CHECK_THROWS_WITH(gpg_loss(s, t5, gpg), Catch::Contains("[gpg_loss] student and teacher"));
  gpg.T = 0;
  CHECK_THROWS_WITH(gpg_loss(s, t, gpg), Catch::Contains("[gpg_loss] temperature"));
  BdkdOptions bd;
  bd.target = y;
  bd.w_f = bd.w_r = full({3}, 0.5, DType::f64);
  CHECK_THROWS_WITH(bdkd_loss(s, t5, bd), Catch::Contains("[bdkd_loss] student and teacher"));
  bd.w_r = full({2}, 0.5, DType::f64);
  CHECK_THROWS_WITH(bdkd_loss(s, t, bd), Catch::Contains("[bdkd_loss] w_r"));
  bd.w_r = bd.w_f;
  bd.T = 0;
  CHECK_THROWS_WITH(bdkd_loss(s, t, bd), Catch::Contains("[bdkd_loss] temperature"));
  KlTopOptions top;
  top.k = 5;
  CHECK_THROWS_WITH(kl_top_loss(s, t, top), Catch::Contains("[kl_top_loss] k must lie"));
  CHECK_THROWS_WITH(kl_top_loss(s, t5), Catch::Contains("[kl_top_loss] quantized and full"));
}

TEST_CASE("catalog logit objectives: hand values and limits", "[unit][losses]") {
  Tensor s = randn({4, 6}, DType::f64) * 2.0, t = randn({4, 6}, DType::f64) * 2.0;
  Tensor y = labels_of({5, 0, 2, 2}, {4});
  // binary_kl_loss: clamped and logsigmoid forms agree away from saturation, 0 at s = t.
  BinaryKlOptions clamped, plain;
  plain.clamp = false;
  CHECK(binary_kl_loss(s, t, clamped).item() ==
        Approx(binary_kl_loss(s, t, plain).item()).epsilon(1e-7));
  CHECK(std::fabs(binary_kl_loss(s, s, plain).item()) < 1e-14);
  // binary_kl_norm_loss: one logit pair by hand, d = sigmoid(1 / 2).
  Tensor a = from_vector(std::vector<double>{1.0}, {1, 1});
  double d = 1 / (1 + std::exp(-0.5));
  CHECK(binary_kl_norm_loss(a, zeros({1, 1}, DType::f64)).item() ==
        Approx(4 * (-std::log(2.0) - 0.5 * (std::log(d) + std::log(1 - d)))).epsilon(1e-13));
  CHECK(binary_kl_norm_loss(s, s).item() == Approx(0.0).margin(1e-14));
  // gpg_loss: alpha 1 is KD at T, alpha 0 is the cross-entropy.
  GpgOptions g;
  g.target = y;
  g.T = 3;
  g.alpha = 1;
  KdOptions kd;
  kd.temperature = 3;
  CHECK(gpg_loss(s, t, g).item() == Approx(kd_kl_loss(s, t, kd).item()).epsilon(1e-12));
  g.alpha = 0;
  CHECK(gpg_loss(s, t, g).item() == Approx(cross_entropy(s, y).item()).epsilon(1e-12));
  // bdkd_loss: w_f = 1, w_r = 0 is CE + KD; w_f = w_r = 0 is CE.
  BdkdOptions bd;
  bd.target = y;
  bd.w_f = full({4}, 1.0, DType::f64);
  bd.w_r = zeros({4}, DType::f64);
  kd.temperature = 4;
  CHECK(bdkd_loss(s, t, bd).item() ==
        Approx(cross_entropy(s, y).item() + kd_kl_loss(s, t, kd).item()).epsilon(1e-12));
  bd.w_f = bd.w_r;
  CHECK(bdkd_loss(s, t, bd).item() == Approx(cross_entropy(s, y).item()).epsilon(1e-12));
  // kl_top_loss: k = V is the full KL (forward_kl_loss of the same pair).
  KlTopOptions top;
  top.k = 6;
  CHECK(kl_top_loss(s, t, top).item() == Approx(forward_kl_loss(s, t).item()).epsilon(1e-12));
  // nkd_loss: C = 2 leaves only the target term; soft labels are reduced to their argmax.
  Tensor s2 = randn({3, 2}, DType::f64), t2 = randn({3, 2}, DType::f64);
  NkdOptions n;
  n.target = labels_of({1, 0, 1}, {3});
  n.temp = 4;
  std::vector<double> pt = softmax(t2, 1).to_vector<double>();
  std::vector<double> ls = log_softmax(s2, 1).to_vector<double>();
  double lt = -(pt[1] * ls[1] + pt[2] * ls[2] + pt[5] * ls[5]) / 3;
  CHECK(nkd_loss(s2, t2, n).item() == Approx(lt).epsilon(1e-12));
  n.target = one_hot(n.target, 2).to(DType::f64) * 0.8 + 0.1;
  CHECK(nkd_loss(s2, t2, n).item() == Approx(lt).epsilon(1e-12));
}

TEST_CASE("feature objectives reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor s = randn({2, 3, 2, 2}, DType::f64), t = randn({2, 4, 2, 2}, DType::f64);
  FitnetOptions f;
  CHECK_THROWS_WITH(fitnet_hint_loss(s, t, f),
                    Catch::Contains("[fitnet_hint_loss] the student (no regressor)"));
  f.weight = randn({3, 4}, DType::f64);
  CHECK_THROWS_WITH(fitnet_hint_loss(s, t, f),
                    Catch::Contains("[fitnet_hint_loss] the regressor weight must be [C_t, C_s]"));
  f.weight = randn({4, 3}, DType::f64);
  f.bias = randn({3}, DType::f64);
  CHECK_THROWS_WITH(fitnet_hint_loss(s, t, f), Catch::Contains("[fitnet_hint_loss] bias"));
  f.bias = Tensor();
  CHECK_THROWS_WITH(fitnet_hint_loss(s, randn({2, 4, 3, 2}, DType::f64), f),
                    Catch::Contains("[fitnet_hint_loss] the regressed student"));
  CHECK_THROWS_WITH(attention_transfer_loss(s, randn({2, 4, 3, 2}, DType::f64)),
                    Catch::Contains("[attention_transfer_loss] student and teacher"));
  CHECK_THROWS_WITH(attention_transfer_loss(s, randn({3, 4, 2, 2}, DType::f64)),
                    Catch::Contains("[attention_transfer_loss]"));
  CHECK_THROWS_WITH(rkd_loss(s, randn({3, 4}, DType::f64)),
                    Catch::Contains("[rkd_loss] teacher must be [B, ...] features with B = 2"));
  CHECK_THROWS_WITH(rkd_loss(randn({1, 3}), randn({1, 3})),
                    Catch::Contains("[rkd_loss] needs a batch of at least 2"));
  CHECK_THROWS_WITH(pkt_loss(s, randn({3, 4}, DType::f64)), Catch::Contains("[pkt_loss] teacher"));
  CHECK_THROWS_WITH(similarity_preserving_loss(s, randn({3, 4}, DType::f64)),
                    Catch::Contains("[similarity_preserving_loss] teacher"));
  CHECK_THROWS_WITH(similarity_preserving_loss(s, from_vector(std::vector<int64_t>{1, 2}, {2})),
                    Catch::Contains("[similarity_preserving_loss] teacher"));
}

TEST_CASE("feature objectives: invariances and zeros", "[unit][losses]") {
  Tensor s = randn({4, 3, 2, 2}, DType::f64), t = randn({4, 5, 2, 2}, DType::f64);
  // The relational objectives see only the batch's structure: a student equal to the teacher
  // up to scale (RKD, SP, PKT) or channel copies (AT) costs 0.
  Tensor e = randn({5, 3}, DType::f64);
  CHECK(rkd_loss(e * 3.0, e).item() == Approx(0.0).margin(1e-12));
  CHECK(similarity_preserving_loss(e * 3.0, e).item() == Approx(0.0).margin(1e-14));
  CHECK(pkt_loss(e * 3.0, e).item() == Approx(0.0).margin(1e-12));
  CHECK(attention_transfer_loss(concat({s, s}, 1), s).item() == Approx(0.0).margin(1e-14));
  CHECK(rkd_loss(s, t).item() > 0.1);
  // RKD is invariant to a rotation and translation of the student's embedding.
  Tensor rot = from_vector(std::vector<double>{0, -1, 0, 1, 0, 0, 0, 0, 1}, {3, 3});
  Tensor f = randn({5, 4}, DType::f64);
  CHECK(rkd_loss(matmul(e, rot) + 2.0, f).item() == Approx(rkd_loss(e, f).item()).epsilon(1e-10));
  // FitNet with an identity regressor is the plain squared error.
  FitnetOptions eye;
  eye.weight = from_vector(std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1}, {3, 3});
  Tensor u = randn({4, 3, 2, 2}, DType::f64);
  CHECK(fitnet_hint_loss(s, u, eye).item() == Approx(mean((s - u) * (s - u)).item())
                                                  .epsilon(1e-13));
  // A zero attention map (all-zero features) stays finite: F.normalize's clamp.
  Tensor z = zeros({4, 3, 2, 2}, DType::f64).requires_grad_();
  Tensor l = attention_transfer_loss(z, t);
  l.backward();
  CHECK(std::isfinite(l.item()));
  CHECK(std::isfinite(max(abs(z.grad())).item()));
}

TEST_CASE("dual_head_kd trains a tiny two-head student, the main head on labels only",
          "[unit][losses]") {
  // The procedure of losses/distill/dual_head_kd.cpp on a tiny model: a linear backbone with
  // a tanh, two linear heads, a fixed random linear teacher, 3 classes, SGD.
  manual_seed(7);
  const int64_t b = 16, d = 6, h = 8, c = 3;
  Tensor x = randn({b, d}, DType::f64);
  nn::Linear teacher(d, c, true, DType::f64), backbone(d, h, true, DType::f64);
  nn::Linear head_main(h, c, true, DType::f64), head_aux(h, c, true, DType::f64);
  Tensor t;
  {
    NoGradGuard no_grad;
    t = teacher.forward(x) * 3.0;                                        // [B, C]
  }
  Tensor y = argmax(t, 1);                                               // [B]
  std::vector<Tensor> params = backbone.parameters();
  for (const Tensor& p : head_main.parameters()) params.push_back(p);
  for (const Tensor& p : head_aux.parameters()) params.push_back(p);
  optim::SGD opt(params, 0.5);
  DualHeadKdOptions o;
  o.target = y;
  auto step = [&](bool update) {
    opt.zero_grad();
    Tensor feat = tanh(backbone.forward(x));                             // [B, H]
    Tensor loss = dual_head_kd(head_main.forward(feat), head_aux.forward(feat), t, o);
    loss.backward();
    if (update) opt.step();
    return loss.item();
  };
  // One step's gradients: the main head gets CE only, the auxiliary head KD only.
  step(false);
  Tensor g_main = head_main.weight.grad(), g_aux = head_aux.weight.grad();
  {
    // The loss's own split: the KD part sends nothing to the main head's logits, CE nothing
    // to the auxiliary head's.
    Tensor zm = randn({b, c}, DType::f64).requires_grad_();
    Tensor za = randn({b, c}, DType::f64).requires_grad_();
    DualHeadKdOptions ce_only = o, kd_only = o;
    ce_only.alpha = 0;
    kd_only.gamma = 0;
    CHECK(max(abs(grad({dual_head_kd(zm, za, t, kd_only)}, {zm})[0])).item() == 0.0);
    CHECK(max(abs(grad({dual_head_kd(zm, za, t, ce_only)}, {za})[0])).item() == 0.0);
    CHECK(max(abs(grad({dual_head_kd(zm, za, t, ce_only)}, {zm})[0])).item() > 0.0);
  }
  CHECK(max(abs(g_main)).item() > 0.0);
  CHECK(max(abs(g_aux)).item() > 0.0);
  double first = step(true);
  double last = first;
  for (int i = 0; i < 60; ++i) last = step(true);
  CHECK(std::isfinite(last));
  CHECK(last < 0.5 * first);
  // The main head alone now predicts the teacher's labels on most of the batch.
  NoGradGuard no_grad;
  std::vector<int64_t> pred = argmax(head_main.forward(tanh(backbone.forward(x))), 1)
                                  .to_vector<int64_t>();
  std::vector<int64_t> lab = y.to_vector<int64_t>();
  int right = 0;
  for (int64_t i = 0; i < b; ++i) right += pred[i] == lab[i];
  CHECK(right >= 12);
}

TEST_CASE("w2s_product_loss: the defined gradient is CE's with the target held fixed",
          "[unit][losses]") {
  Tensor z = randn({5, 3}, DType::f64).requires_grad_();
  Tensor w = softmax(randn({5, 3}, DType::f64), 1);
  W2sProductOptions o;
  o.beta = 2.0;
  o.alpha = 0.5;
  Tensor loss = w2s_product_loss(z, w, o);
  loss.backward();
  // q by hand: p^2 w^0.5, row-normalized.
  Tensor p = softmax(z.detach(), 1);
  Tensor q = p * p * sqrt(w);
  q = q / sum(q, {1}, true);
  CHECK(loss.item() == Approx(mean(-sum(q * log(p), {1})).item()).epsilon(1e-13));
  CHECK(max(abs(z.grad() - (p - q) / 5.0)).item() < 1e-14);
}

TEST_CASE("saf_bank_write returns the bank with one slot's rows replaced", "[unit][losses]") {
  Tensor bank = randn({4, 6, 3}, DType::f64);
  Tensor z = randn({2, 3}, DType::f64).requires_grad_();
  Tensor idx = labels_of({4, 1}, {2});
  Tensor out = saf_bank_write(bank, 6, idx, z);                          // slot 6 % 4 = 2
  CHECK_FALSE(out.requires_grad());
  std::vector<double> before = bank.to_vector<double>(), after = out.to_vector<double>();
  std::vector<double> zv = z.detach().to_vector<double>();
  for (int s = 0; s < 4; ++s)
    for (int n = 0; n < 6; ++n)
      for (int c = 0; c < 3; ++c) {
        size_t i = (s * 6 + n) * 3 + c;
        double want = before[i];
        if (s == 2 && n == 4) want = zv[c];
        if (s == 2 && n == 1) want = zv[3 + c];
        CHECK(after[i] == want);
      }
  CHECK_THROWS_WITH(saf_bank_write(bank, 1, idx, z, 2),
                    Catch::Contains("[saf_bank_write] the bank must be [E_ago + 1, N, C]"));
}

TEST_CASE("mi_alpha_loss and the other catalog objectives reject bad input",
          "[unit][losses][errors]") {
  CHECK_THROWS_WITH(mi_alpha_loss(randn({1, 1}), randn({1})),
                    Catch::Contains("[mi_alpha_loss] scores must be [K, K] with K >= 2"));
  CHECK_THROWS_WITH(mi_alpha_loss(randn({3, 3}), randn({2})),
                    Catch::Contains("[mi_alpha_loss] log_baseline"));
  MiAlphaOptions mi;
  mi.alpha = 1.5;
  CHECK_THROWS_WITH(mi_alpha_loss(randn({3, 3}), randn({3}), mi),
                    Catch::Contains("[mi_alpha_loss] alpha must lie in [0, 1]"));
  CHECK_THROWS_WITH(w2s_product_loss(randn({3, 2}), randn({3, 3})),
                    Catch::Contains("[w2s_product_loss] logits and weak labels"));
  AphReconOptions aph;
  aph.hessian = randn({2, 3});
  CHECK_THROWS_WITH(aph_recon_loss(randn({2, 3}), randn({2, 3})),
                    Catch::Contains("[aph_recon_loss] hessian"));
  CHECK_THROWS_WITH(aph_recon_loss(randn({2, 3}), randn({3, 2}), aph),
                    Catch::Contains("[aph_recon_loss] pred"));
  SafTrajectoryOptions saf;
  saf.target = labels_of({0, 1}, {2});
  CHECK_THROWS_WITH(saf_trajectory_loss(randn({2, 3}), randn({2, 4}), saf),
                    Catch::Contains("[saf_trajectory_loss] logits and past logits"));
  saf.T = 0;
  CHECK_THROWS_WITH(saf_trajectory_loss(randn({2, 3}), randn({2, 3}), saf),
                    Catch::Contains("[saf_trajectory_loss] temperature"));
}

TEST_CASE("mtard_update balances temperatures by entropy and weights by relative loss",
          "[unit][losses]") {
  Tensor sharp = randn({4, 5}, DType::f64) * 4.0, flat = randn({4, 5}, DType::f64) * 0.2;
  MtardState s0;
  // The robust teacher is the sharper one: its negative entropy is nearer 0, E_adv / E_nat < 1,
  // so tau_adv rises by eta_tau and tau_nat would fall below 1 and is clipped there.
  MtardState s1 = mtard_update(s0, sharp, flat, 1.2, 0.8);
  CHECK(s1.tau_adv == Approx(1.001).epsilon(1e-15));
  CHECK(s1.tau_nat == 1.0);
  CHECK(s1.l0_adv == 1.2);
  CHECK(s1.l0_nat == 0.8);
  CHECK(s1.w_adv == Approx(0.5).epsilon(1e-15));  // first step: both ratios 1
  // Second step: the adversarial loss halved, the natural one kept: r = (2/3, 4/3), so
  // w_adv = 0.5 - 0.025 (0.5 - 1/3) and w_nat = 0.5 - 0.025 (0.5 - 2/3), summing to 1.
  MtardState s2 = mtard_update(s1, sharp, flat, 0.6, 0.8);
  CHECK(s2.w_adv == Approx(0.5 - 0.025 / 6).epsilon(1e-14));
  CHECK(s2.w_nat == Approx(0.5 + 0.025 / 6).epsilon(1e-14));
  CHECK(s2.tau_adv == Approx(1.002).epsilon(1e-15));
  // The loss reads the state as attributes; both terms vanish for an ideal student only up to
  // the constant -H(b) + the 1e-5 term, so check the weighting instead.
  MtardOptions o;
  o.student_nat = randn({4, 5}, DType::f64);
  o.teacher_nat = flat;
  Tensor sa = randn({4, 5}, DType::f64);
  o.w_adv = 1.0;
  o.w_nat = 0.0;
  double adv = mtard_loss(sa, sharp, o).item();
  o.w_adv = 0.0;
  o.w_nat = 1.0;
  double nat = mtard_loss(sa, sharp, o).item();
  o.w_adv = s2.w_adv;
  o.w_nat = s2.w_nat;
  CHECK(mtard_loss(sa, sharp, o).item() ==
        Approx(s2.w_adv * adv + s2.w_nat * nat).epsilon(1e-13));
}

TEST_CASE("landmark_kd_loss: a student on the ground truth's far side of both teachers",
          "[unit][losses]") {
  // One coordinate, g = 0, teachers at 0.2 (tough) and 0.5 (tolerant), student at 0.8: both
  // reflections are the teachers themselves, the student is beyond both (W = a each, the
  // band indicator is 0), and |g - x| > |g - T_l|: M = 0.64 + 1.5 - 0.25.
  Tensor x = from_vector(std::vector<double>{0.8}, {1}), g = zeros({1}, DType::f64);
  LandmarkKdOptions o;
  o.tolerant = from_vector(std::vector<double>{0.5}, {1});
  double want = 2.0 * (0.64 + 1.5 - 0.25) + 1.9 * 0.6 + 1.8 * 0.3;
  CHECK(landmark_kd_loss(x, g, from_vector(std::vector<double>{0.2}, {1}), o).item() ==
        Approx(want).epsilon(1e-13));
  CHECK_THROWS_WITH(landmark_kd_loss(x, g, zeros({2}, DType::f64), o),
                    Catch::Contains("[landmark_kd_loss] input"));
}

TEST_CASE("dac_kl_loss: full bounds are the full KL, one kept token gives 0",
          "[unit][losses]") {
  Tensor s = randn({4, 7}, DType::f64), t = randn({4, 7}, DType::f64) * 2.0;
  DacKlOptions o;
  o.lower = zeros({4, 1}, DType::f64);
  o.upper = full({4, 1}, 2.0, DType::f64);
  CHECK(dac_kl_loss(s, t, o).item() == Approx(forward_kl_loss(s, t).item()).epsilon(1e-12));
  o.upper = full({4, 1}, 1e-12, DType::f64);
  CHECK(std::fabs(dac_kl_loss(s, t, o).item()) < 1e-15);
  o.lower = full({4, 1}, 1.5, DType::f64);
  o.upper = full({4, 1}, 2.0, DType::f64);
  CHECK_THROWS_WITH(dac_kl_loss(s, t, o),
                    Catch::Contains("[dac_kl_loss] the bounds keep no token"));
  CHECK_THROWS_WITH(dac_kl_loss(s, randn({4, 6}, DType::f64), o),
                    Catch::Contains("[dac_kl_loss] student and teacher logits"));
}
