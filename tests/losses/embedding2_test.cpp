// The embedding losses of the second slice: bad input names the op; values worked by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/contrastive/contrastive_more.h"
#include "losses/face/face_more.h"
#include "losses/metric_learning/metric_learning_more.h"

using namespace lathe;

namespace {
Tensor ints(std::vector<int64_t> v) {
  int64_t n = v.size();
  return from_vector(v, {n});
}
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s, DType::f64); }
double item(const Tensor& t) { return cast(t, DType::f64).cpu().to_vector<double>()[0]; }
}  // namespace

TEST_CASE("embedding2 losses reject bad input, naming the op", "[unit][losses][errors]") {
  CHECK_THROWS_WITH(hyp_pc_loss(randn({5, 3}, DType::f64)),
                    Catch::StartsWith("[hyp_pc_loss] f must hold an even number of rows"));
  CHECK_THROWS_WITH(hyp_pc_loss(randn({4, 3}, DType::f64), {-1.0}),
                    Catch::StartsWith("[hyp_pc_loss] c must be > 0"));
  Tensor cm = randn({4, 3}, DType::f64), x = randn({4, 5}, DType::f64);
  CHECK_THROWS_WITH(unpg_loss(cm, x, ints({0, 1, 3, 1})),
                    Catch::StartsWith("[unpg_loss] labels must lie in [0, 3)"));
  CHECK_THROWS_WITH(unpg_loss(cm, randn({3, 5}, DType::f64), ints({0, 1, 2, 1})),
                    Catch::StartsWith("[unpg_loss] x must have shape [4, 5]"));
  CHECK_THROWS_WITH(unpg_loss(cm, x, cast(ints({0, 1, 2, 1}), DType::f32)),
                    Catch::StartsWith("[unpg_loss] labels must be integers"));
  CHECK_THROWS_WITH(group_symmetric_triplet_loss(randn({3, 4}, DType::f64)),
                    Catch::StartsWith("[group_symmetric_triplet_loss] features must hold two "
                                      "groups"));
  CHECK_THROWS_WITH(energy_confusion_loss(randn({4, 2}, DType::f64), ints({0, 1})),
                    Catch::StartsWith("[energy_confusion_loss] labels must have shape [4]"));
  Tensor a = randn({2, 3, 4}, DType::f64);
  CHECK_THROWS_WITH(soft_dtw_triplet_loss(a, randn({2, 3, 5}, DType::f64), a),
                    Catch::StartsWith("[soft_dtw_triplet_loss] positive must have shape"));
  CHECK_THROWS_WITH(soft_dtw_triplet_loss(a, a, a, {1.0, 0.0}),
                    Catch::StartsWith("[soft_dtw_triplet_loss] gamma must be > 0"));
  CHECK_THROWS_WITH(soft_dtw_triplet_loss(a, a, a, {1.0, 0.1, "avg"}),
                    Catch::StartsWith("[soft_dtw_triplet_loss] reduction must be"));
  Tensor e = randn({5, 2}, DType::f64);
  Tensor y5 = ints({0, 1, 0, 1, 1});
  CHECK_THROWS_WITH(icnn_score_loss(randn({2, 2}, DType::f64), ints({0, 1})),
                    Catch::StartsWith("[icnn_score_loss] the target must hold at least 3 rows"));
  CHECK_THROWS_WITH(icnn_score_loss(e, y5, {4, 9}),
                    Catch::StartsWith("[icnn_score_loss] ipc must lie in [k, n - 1]"));
  IcnnScoreLossOptions half;
  half.target = e;
  CHECK_THROWS_WITH(icnn_score_loss(e, y5, half),
                    Catch::StartsWith("[icnn_score_loss] target and target_labels go together"));
  Tensor an = randn({2, 3}, DType::f64), ng = randn({2, 4, 3}, DType::f64);
  Tensor tp = full({2}, 0.5, DType::f64), tn = full({2, 4}, 0.5, DType::f64);
  CHECK_THROWS_WITH(amcl_loss(an, an, ng, tp, full({2, 4}, 0.0, DType::f64)),
                    Catch::StartsWith("[amcl_loss] temperatures must be > 0"));
  CHECK_THROWS_WITH(amcl_loss(an, an, randn({2, 4, 2}, DType::f64), tp, tn),
                    Catch::StartsWith("[amcl_loss] negatives must have shape [2, 4, 3]"));
  CHECK_THROWS_WITH(amcl_loss(an, an, ng, tp, tn, {0.01, 0}),
                    Catch::StartsWith("[amcl_loss] topk must be >= 1"));
  CHECK_THROWS_WITH(nspt_contrastive_loss(an, an, ints({0, 1}), {0.0}),
                    Catch::StartsWith("[nspt_contrastive_loss] tau must be > 0"));
  CHECK_THROWS_WITH(mm_supcon_loss(an, randn({3, 3}, DType::f64), ints({0, 1})),
                    Catch::StartsWith("[mm_supcon_loss] zt must have shape [2, 3]"));
  CHECK_THROWS_WITH(metrix_loss(an, an, {1.5}),
                    Catch::StartsWith("[metrix_loss] lam must lie in [0, 1]"));
  TemporalCycleConsistencyLossOptions tcc;
  tcc.variant = "mse";
  CHECK_THROWS_WITH(temporal_cycle_consistency_loss(an, an, tcc),
                    Catch::StartsWith("[temporal_cycle_consistency_loss] variant must be"));
  CHECK_THROWS_WITH(temporal_cycle_consistency_loss(randn({1, 3}, DType::f64), an),
                    Catch::StartsWith("[temporal_cycle_consistency_loss] the regression "
                                      "variants need at least 2 frames"));
  CHECK_THROWS_WITH(symface_loss(an, randn({2, 4}, DType::f64)),
                    Catch::StartsWith("[symface_loss] e_right must have shape [2, 3]"));
  CHECK_THROWS_WITH(glocal_alignment_loss(ng, ng, {"infonce"}),
                    Catch::StartsWith("[glocal_alignment_loss] the infonce variant needs p_ori"));
  CHECK_THROWS_WITH(glocal_alignment_loss(ng, ng, {"l2"}),
                    Catch::StartsWith("[glocal_alignment_loss] variant must be cos or infonce"));
  Tensor q3 = f64({0.9, 0.0, 0.1, 0.2, 0.1, 0.7, 0.8, 0.1, 0.1}, {3, 3});
  CHECK_THROWS_WITH(pamc_meta_node_contrastive(randn({3, 2}, DType::f64),
                                               full({3, 3}, 0.3, DType::f64), q3),
                    Catch::StartsWith("[pamc_meta_node_contrastive] cluster 1 has no node"));
  CHECK_THROWS_WITH(pamc_meta_node_contrastive(f64({1, 0, 0, 0, 0, 1}, {3, 2}),
                                               full({3, 3}, 0.3, DType::f64), q3),
                    Catch::StartsWith("[pamc_meta_node_contrastive] z has a zero row"));
  Tensor i2 = ints({0, 1}), e4 = randn({4, 2}, DType::f64);
  CHECK_THROWS_WITH(subspace_margin_loss(e4, i2, i2, ints({0, 4}), f64({1.2}, {1})),
                    Catch::StartsWith("[subspace_margin_loss] negative must lie in [0, 4)"));
  CHECK_THROWS_WITH(subspace_margin_loss(e4, i2, i2, i2, f64({1, 1, 1}, {3})),
                    Catch::StartsWith("[subspace_margin_loss] beta must have shape [1] or [2]"));
  CHECK_THROWS_WITH(uvos_consistency_loss(an, randn({2, 0, 3}, DType::f64), ng),
                    Catch::StartsWith("[uvos_consistency_loss] each query needs at least one"));
  CHECK_THROWS_WITH(snr_distance(f64({1, 1, 0, 2}, {2, 2}), an.narrow(1, 0, 2)),
                    Catch::StartsWith("[snr_distance] an anchor row is constant"));
  CHECK_THROWS_WITH(snr_distance(randn({2, 1}, DType::f64), randn({2, 1}, DType::f64)),
                    Catch::StartsWith("[snr_distance] the feature axis needs at least 2"));
  CHECK_THROWS_WITH(cosine_linear(an, randn({4, 2}, DType::f64)),
                    Catch::StartsWith("[cosine_linear] weight must have shape [4, 3]"));
  CHECK_THROWS_WITH(additive_margin_logits(an, ints({0, 1}), {"sphereface"}),
                    Catch::StartsWith("[additive_margin_logits] kind must be arcface"));
  CHECK_THROWS_WITH(additive_margin_logits(an, ints({0, 3})),
                    Catch::StartsWith("[additive_margin_logits] labels must lie in [0, 3)"));
  Tensor sb = full({6, 2}, 1.0, DType::f64), ta = full({6}, 0.1, DType::f64);
  Tensor uu = zeros({6}, DType::f64);
  CHECK_THROWS_WITH(isogclr_loss(an, an, ints({0, 6}), sb, ta, uu),
                    Catch::StartsWith("[isogclr_loss] index must lie in [0, 6)"));
  CHECK_THROWS_WITH(isogclr_loss(an, an, ints({0, 1}), full({6, 3}, 1.0, DType::f64), ta, uu),
                    Catch::StartsWith("[isogclr_loss] s_bar must have shape [6, 2]"));
}

TEST_CASE("isogclr_loss returns the state and leaves its inputs alone", "[unit][losses]") {
  Tensor z1 = randn({3, 4}, DType::f64), z2 = randn({3, 4}, DType::f64);
  Tensor sb = full({5, 2}, 2.0, DType::f64), tau = full({5}, 0.07, DType::f64);
  Tensor u = zeros({5}, DType::f64);
  IsogclrLossOptions o;
  o.first = true;
  IsogclrResult r = isogclr_loss(z1, z2, ints({4, 0, 2}), sb, tau, u, o);
  std::vector<double> s_new = r.s_bar.to_vector<double>(), t_new = r.tau.to_vector<double>();
  std::vector<double> u_new = r.u.to_vector<double>();
  // Untouched rows keep their values; the inputs are never written.
  CHECK(s_new[2] == 2.0);
  CHECK(s_new[3] == 2.0);
  CHECK(t_new[1] == 0.07);
  CHECK(u_new[3] == 0.0);
  CHECK(sb.to_vector<double>()[0] == 2.0);
  // Touched rows: s_bar > 0 (a mean of exponentials), and tau moved by -eta u within bounds.
  CHECK(s_new[0] > 0.0);
  CHECK(s_new[0] != 2.0);
  CHECK(u_new[4] != 0.0);
  CHECK(t_new[4] == Approx(std::min(std::max(0.07 - 1e-3 * u_new[4], 0.05), 1.0)));
}

TEST_CASE("embedding2 losses match values worked by hand", "[unit][losses]") {
  // hyp_pc_loss: L = 0, R = r: (-0) (+) r = r / (1 + 1e-5), d = (2 / sqrt c) atan(sqrt c |r|);
  // the mean over the one pair is d / 2.
  const double c = 0.1, rn = 0.5 / (1.0 + 1e-5);
  Tensor f = f64({0.0, 0.0, 0.3, 0.4}, {2, 2});
  CHECK(item(hyp_pc_loss(f)) == Approx(std::atan(std::sqrt(c) * rn) / std::sqrt(c)));
  // energy_confusion_loss: one negative pair at squared distance 25 (both orders), and the
  // positive pair is left out.
  Tensor e = f64({0, 0, 3, 4, 0, 0}, {3, 2});
  CHECK(item(energy_confusion_loss(e, ints({0, 1, 0}))) == Approx(25.0));
  CHECK(item(energy_confusion_loss(e, ints({5, 5, 5}))) == 0.0);
  // soft_dtw_triplet_loss on length-1 sequences: D = the squared distance, so
  // relu(1 - 4 + 1) = 0 and relu(4 - 1 + 1) = 4.
  Tensor z = f64({0, 0}, {1, 1, 2}), one = f64({1, 0}, {1, 1, 2}), two = f64({0, 2}, {1, 1, 2});
  CHECK(item(soft_dtw_triplet_loss(z, one, two)) == 0.0);
  CHECK(item(soft_dtw_triplet_loss(z, two, one)) == Approx(4.0));
  // Equal sequences of two frames x0, x1 with ||x0 - x1||^2 = 1: R_01 = R_10 = 1, R_00 = 0,
  // so R_11 = 0 - g log(2 e^{-1/g} + 1).
  Tensor s = f64({0, 0, 1, 0}, {1, 2, 2});
  const double g = 0.5, r11 = -g * std::log(2.0 * std::exp(-1.0 / g) + 1.0);
  // Against the one-frame z: R_00 = 0, R_10 = 1, D = 1; margin 2: l = r11 - 1 + 2.
  CHECK(item(soft_dtw_triplet_loss(s, s, z, {2.0, g, "sum"})) == Approx(r11 + 1.0));
  // mm_supcon_loss with one label per row is the one-directional InfoNCE: za = zt = I (two
  // rows) at tau 1: l = -(1 - log(e + 1)).
  Tensor id = f64({1, 0, 0, 1}, {2, 2});
  CHECK(item(mm_supcon_loss(id, id, ints({0, 1}), {1.0})) ==
        Approx(std::log(std::exp(1.0) + 1.0) - 1.0));
  // metrix_loss: anchor e1, mixed e2 (d = sqrt 2), lam 0.25, margin 2: 0.25 sqrt 2 +
  // 0.75 (2 - sqrt 2).
  Tensor e12 = f64({1, 0}, {1, 2}), e21 = f64({0, 3}, {1, 2});
  CHECK(item(metrix_loss(e12, e21, {0.25, 2.0})) ==
        Approx(0.25 * std::sqrt(2.0) + 0.75 * (2.0 - std::sqrt(2.0))));
  // symface_loss: equal halves give 0, opposite ones 2, orthogonal ones 1: mean 1.
  Tensor l3 = f64({1, 0, 0, 1, 2, 0}, {3, 2}), r3 = f64({2, 0, 0, -3, 0, 5}, {3, 2});
  CHECK(item(symface_loss(l3, r3)) == Approx(1.0));
  // subspace_margin_loss: d_ap = d_an = sqrt(1 + 1e-8) ~ 1, beta 1.2, alpha 0.2: pos 0,
  // neg 0.4, one active triplet.
  Tensor e3 = f64({0, 0, 1, 0, 0, 1}, {3, 2});
  CHECK(item(subspace_margin_loss(e3, ints({0}), ints({1}), ints({2}), f64({1.2}, {1}))) ==
        Approx(1.2 - std::sqrt(1.0 + 1e-8) + 0.2));
  // snr_distance: a = (0, 2) (Var 2), b = (1, 1): b - a = (1, -1), Var 2: distance 1; to
  // b = a itself: 0.
  Tensor sa = f64({0, 2}, {1, 2});
  std::vector<double> sd = snr_distance(sa, f64({1, 1, 0, 2}, {2, 2})).to_vector<double>();
  CHECK(sd[0] == Approx(1.0));
  CHECK(sd[1] == 0.0);
  // additive_margin_logits: a target cosine 0.6 (sin 0.8) under arcface m 0.5, s 2:
  // 2 (0.6 cos 0.5 - 0.8 sin 0.5); the other column stays 2 * 0.1; cosface: 2 (0.6 - 0.5).
  Tensor c2 = f64({0.6, 0.1}, {1, 2});
  std::vector<double> am = additive_margin_logits(c2, ints({0}), {"arcface", 2.0, 0.5})
                               .to_vector<double>();
  CHECK(am[0] == Approx(2.0 * (0.6 * std::cos(0.5) - 0.8 * std::sin(0.5))));
  CHECK(am[1] == Approx(0.2));
  CHECK(additive_margin_logits(c2, ints({0}), {"cosface", 2.0, 0.5}).to_vector<double>()[0] ==
        Approx(0.2));
  // nspt_contrastive_loss with a single label has no negative: exactly 0.
  CHECK(item(nspt_contrastive_loss(id, id, ints({3, 3}))) == 0.0);
  // amcl_loss, one anchor, its positive equal (s+ = 1), one negative orthogonal (s- = 0),
  // tau+ = tau- = 1, beta 0.5, D 2: -1 + 0 + 0.5 (0 + 1) - 0.5 (0 + 1) = -1.
  Tensor a1 = f64({1, 0}, {1, 2}), n1 = f64({0, 1}, {1, 1, 2}), t1 = f64({1}, {1});
  CHECK(item(amcl_loss(a1, a1, n1, t1, f64({1}, {1, 1}), {0.5, 100})) == Approx(-1.0));
}
