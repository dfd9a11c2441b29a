// The embedding losses (losses/metric_learning/): bad input names the op; the batch kit
// (pairs.h) and the empty-set rule; values worked by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/face/face.h"
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"

using namespace lathe;

namespace {
Tensor ints(std::vector<int64_t> v) {
  int64_t n = v.size();
  return from_vector(v, {n});
}
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s, DType::f64); }
}  // namespace

TEST_CASE("embedding losses reject bad labels and embeddings, naming the op",
          "[unit][losses][errors]") {
  Tensor e = randn({4, 3}, DType::f64);
  Tensor y = ints({0, 0, 1, 1});
  Tensor q = randn({2, 3}, DType::f64);
  auto bad_labels = [&](const char* op, auto fn) {
    INFO(op);
    CHECK_THROWS_WITH(fn(e, cast(y, DType::f32)),
                      Catch::Contains(std::string("[") + op + "] labels must be integers"));
    CHECK_THROWS_WITH(fn(e, ints({0, 1, 1})),
                      Catch::Contains(std::string("[") + op + "] labels must have shape [4]"));
    CHECK_THROWS_WITH(fn(randn({4, 3, 2}, DType::f64), y),
                      Catch::Contains(std::string("[") + op + "] embeddings must have 2 dims"));
  };
  bad_labels("contrastive_loss", [](const Tensor& a, const Tensor& b) {
    return contrastive_loss(a, b); });
  bad_labels("batch_triplet_loss", [](const Tensor& a, const Tensor& b) {
    return batch_triplet_loss(a, b); });
  bad_labels("multi_similarity_loss", [](const Tensor& a, const Tensor& b) {
    return multi_similarity_loss(a, b); });
  bad_labels("circle_loss", [](const Tensor& a, const Tensor& b) { return circle_loss(a, b); });
  bad_labels("npairs_loss", [](const Tensor& a, const Tensor& b) { return npairs_loss(a, b); });
  bad_labels("lifted_structure_loss", [](const Tensor& a, const Tensor& b) {
    return lifted_structure_loss(a, b); });
  bad_labels("proxy_nca_loss", [&](const Tensor& a, const Tensor& b) {
    return proxy_nca_loss(a, b, q); });
  bad_labels("proxy_anchor_loss", [&](const Tensor& a, const Tensor& b) {
    return proxy_anchor_loss(a, b, q); });
  bad_labels("arcface_loss", [&](const Tensor& a, const Tensor& b) {
    return arcface_loss(a, b, q); });
  SoftTripleLossOptions st;
  st.centers_per_class = 1;
  bad_labels("soft_triple_loss", [&](const Tensor& a, const Tensor& b) {
    return soft_triple_loss(a, b, q, st); });

  // Proxies with the wrong feature size, labels beyond the proxies.
  CHECK_THROWS_WITH(proxy_nca_loss(e, y, randn({2, 5}, DType::f64)),
                    Catch::Contains("[proxy_nca_loss] proxies must have shape [2, 3]"));
  CHECK_THROWS_WITH(proxy_anchor_loss(e, ints({0, 0, 1, 2}), q),
                    Catch::Contains("[proxy_anchor_loss] labels must lie in [0, 2), got 2"));
  CHECK_THROWS_WITH(arcface_loss(e, y, randn({2, 4}, DType::f64)),
                    Catch::Contains("[arcface_loss] weight must have shape [2, 3]"));
  st.centers_per_class = 4;
  CHECK_THROWS_WITH(soft_triple_loss(e, y, randn({6, 3}, DType::f64), st),
                    Catch::Contains("[soft_triple_loss] centers must have C * centers_per_class"));
  // Scales and temperatures <= 0, unknown names.
  SoftTripleLossOptions g;
  g.centers_per_class = 1;
  g.gamma = 0;
  CHECK_THROWS_WITH(soft_triple_loss(e, y, q, g),
                    Catch::Contains("[soft_triple_loss] gamma must be > 0"));
  CircleLossOptions c;
  c.gamma = -1;
  CHECK_THROWS_WITH(circle_loss(e, y, c), Catch::Contains("[circle_loss] gamma must be > 0"));
  BatchTripletLossOptions t;
  t.miner = "hardest";
  CHECK_THROWS_WITH(batch_triplet_loss(e, y, t),
                    Catch::Contains("[batch_triplet_loss] miner must be all, batch_hard"));
  MultiSimilarityLossOptions ms;
  ms.variant = "paper";
  CHECK_THROWS_WITH(multi_similarity_loss(e, y, ms),
                    Catch::Contains("[multi_similarity_loss] variant must be official or pml"));
  TripletMarginLossOptions tm;
  CHECK_THROWS_WITH(triplet_margin_loss(e, e, randn({4, 2}, DType::f64)),
                    Catch::Contains("[triplet_margin_loss]"));
  CHECK_THROWS_WITH(sface_loss(e, randn({2, 4}, DType::f64), y),
                    Catch::Contains("[sface_loss] weight must have shape [2, 3]"));
  CHECK_THROWS_WITH(sface_loss(e, q, cast(y, DType::f64)),
                    Catch::Contains("[sface_loss] labels must be integers"));
  CHECK_THROWS_WITH(proto_triplet_loss(e, y, q, ints({0, 1, 2})),
                    Catch::Contains("[proto_triplet_loss] proto_labels must have shape [2]"));
  CHECK_THROWS_WITH(proto_triplet_loss(e, y, randn({2, 5}, DType::f64), ints({0, 1})),
                    Catch::Contains("[proto_triplet_loss] protos must have shape [2, 3]"));
  CHECK_THROWS_WITH(dsml_snr_contrastive_loss(e, ints({0, 1})),
                    Catch::Contains("[dsml_snr_contrastive_loss] labels must have shape [4]"));
  CHECK_THROWS_WITH(tcm_loss(e, e), Catch::Contains("[tcm_loss] pos_sims must have 1 dims"));
  CHECK_THROWS_WITH(asl_norm_ratio_loss(e, q), Catch::Contains("[asl_norm_ratio_loss]"));
  CHECK_THROWS_WITH(batch_balanced_contrastive_loss(e, e),
                    Catch::Contains("[batch_balanced_contrastive_loss] target must be integers"));
  CHECK_THROWS_WITH(bct_influence_loss(randn({4, 2}, DType::f64), e, q, ints({0, 1, 1, 2})),
                    Catch::Contains("[bct_influence_loss] labels must lie in [0, 2), got 2"));
  CHECK_THROWS_WITH(bt2_cosine_alignment_loss(e, q, e, e, randn({4, 2}, DType::f64), y),
                    Catch::Contains("[bt2_cosine_alignment_loss] phi_old must have shape"));
  CHECK_THROWS_WITH(stssdl_prototype_loss(randn({2, 3, 4}, DType::f64),
                                          randn({2, 3, 4}, DType::f64), randn({1, 4}, DType::f64)),
                    Catch::Contains("[stssdl_prototype_loss] needs at least 2 prototypes"));
  tm.p = 0;
  CHECK_THROWS_WITH(triplet_margin_loss(e, e, e, tm),
                    Catch::Contains("[triplet_margin_loss] p must be > 0"));
}

TEST_CASE("pairs kit: GEMM distances, masks, masked log-sum-exp, mining",
          "[unit][losses]") {
  Tensor x = f64({0, 0, 3, 4, 3, 4, 1, 0}, {4, 2});
  Tensor d = pairs::distances(x, x, true);
  std::vector<double> dv = d.to_vector<double>();
  CHECK(dv[0 * 4 + 1] == Approx(5.0).epsilon(1e-14));
  CHECK(dv[1 * 4 + 2] == 0.0);  // duplicate rows: exactly 0
  CHECK(dv[0 * 4 + 0] == 0.0);  // self-pairs
  CHECK(dv[3 * 4 + 1] == Approx(std::sqrt(20.0)).epsilon(1e-14));
  // Zero distances pass a zero gradient (as torch.cdist), never NaN.
  Tensor xl = x.clone();
  xl.requires_grad_(true);
  sum(pairs::distances(xl, xl, true)).backward();
  for (double g : xl.grad().to_vector<double>()) CHECK(std::isfinite(g));

  Tensor y = ints({0, 1, 0, 2});
  std::vector<bool> pos = pairs::positive_mask(y).to_vector<bool>();
  CHECK(pos[0 * 4 + 2]);
  CHECK_FALSE(pos[0 * 4 + 0]);
  CHECK_FALSE(pos[1 * 4 + 1]);
  // log(1 + e^1 + e^2) over a row's kept entries; 0 for a row that keeps nothing.
  Tensor v = f64({1, 2, 5, 7, 8, 9}, {2, 3});
  Tensor keep = from_vector(std::vector<bool>{true, true, false, false, false, false}, {2, 3});
  std::vector<double> l = pairs::masked_logsumexp(v, keep, 1, true).to_vector<double>();
  CHECK(l[0] == Approx(std::log(1 + std::exp(1.0) + std::exp(2.0))).epsilon(1e-14));
  CHECK(l[1] == 0.0);
  // Hardest entries: the first index on ties.
  Tensor h = f64({1, 3, 3, 0, 2, 2}, {2, 3});
  Tensor all = from_vector(std::vector<bool>(6, true), {2, 3});
  Tensor any;
  std::vector<int64_t> idx = pairs::hardest_index(h, all, true, &any).to_vector<int64_t>();
  CHECK(idx == std::vector<int64_t>{1, 1});
}

TEST_CASE("embedding losses: an empty batch is 0 with a graph, never NaN", "[unit][losses]") {
  Tensor e = randn({4, 3}, DType::f64);
  e.requires_grad_(true);
  Tensor one = ints({5, 5, 5, 5});
  Tensor singles = ints({0, 1, 2, 3});
  std::vector<Tensor> zeros_expected = {
      batch_triplet_loss(e, one), batch_triplet_loss(e, singles), circle_loss(e, one),
      circle_loss(e, singles), lifted_structure_loss(e, one), lifted_structure_loss(e, singles),
      multi_similarity_loss(e, one), npairs_loss(e, singles),
      // unit rows: S_ii = 1 drops the self-pair (|f|^2 < 1 - 1e-5 would keep it as a positive)
      multi_similarity_loss(pairs::l2_normalize(e), singles)};
  for (const Tensor& l : zeros_expected) {
    CHECK(l.item() == 0.0);
    CHECK(l.requires_grad());
    e.zero_grad();
    l.backward();
    for (double g : e.grad().to_vector<double>()) CHECK(g == 0.0);
  }
  // A zero embedding into the normalized losses: finite values and gradients.
  Tensor z = f64({0, 0, 0, 1, 0.5, -1, 0.3, 0.2, 0.9, -1, 0.1, 0.4}, {4, 3});
  z.requires_grad_(true);
  Tensor y = ints({0, 0, 1, 1});
  Tensor total = contrastive_loss(z, y) + circle_loss(z, y) + batch_triplet_loss(z, y) +
                 lifted_structure_loss(z, y) + npairs_loss(z, y);
  CHECK(std::isfinite(total.item()));
  total.backward();
  for (double g : z.grad().to_vector<double>()) CHECK(std::isfinite(g));
}

TEST_CASE("embedding losses: values by hand", "[unit][losses]") {
  // Two unit vectors at 90 degrees, same label: d = sqrt(2), the positive term alone.
  Tensor e = f64({1, 0, 0, 1}, {2, 2});
  Tensor same = ints({0, 0});
  CHECK(contrastive_loss(e, same).item() == Approx(std::sqrt(2.0)).epsilon(1e-14));
  // Different labels: relu(1 - sqrt 2) = 0 for both ordered pairs, nothing left.
  CHECK(contrastive_loss(e, ints({0, 1})).item() == 0.0);
  ContrastiveLossOptions o;
  o.neg_margin = 2.0;
  CHECK(contrastive_loss(e, ints({0, 1}), o).item() ==
        Approx(2.0 - std::sqrt(2.0)).epsilon(1e-14));
  // Triplet (a, p, n) = (e1, e2, -e1): d_ap = sqrt 2, d_an = 2, margin 1 -> sqrt 2 - 1.
  Tensor a = f64({1, 0}, {1, 2}), p = f64({0, 1}, {1, 2}), n = f64({-1, 0}, {1, 2});
  TripletMarginLossOptions t;
  t.eps = 0;
  CHECK(triplet_margin_loss(a, p, n, t).item() == Approx(std::sqrt(2.0) - 1.0).epsilon(1e-14));
  // batch_triplet on the same three rows, labels (0, 0, 1): two triplets (anchor 0 and 1).
  // anchor 0: sqrt2 - 2 + 0.05 < 0; anchor 1 (p = e1, n = -e1): sqrt2 - sqrt2 + 0.05 = 0.05.
  Tensor three = f64({1, 0, 0, 1, -1, 0}, {3, 2});
  CHECK(batch_triplet_loss(three, ints({0, 0, 1})).item() == Approx(0.05).epsilon(1e-12));
  // Proxy-NCA with orthogonal unit proxies: d2 = 0 to its own, 2 to the other.
  Tensor q = f64({1, 0, 0, 1}, {2, 2});
  double want = -std::log(1.0 / (1.0 + std::exp(-2.0)));
  CHECK(proxy_nca_loss(q, ints({0, 1}), q).item() == Approx(want).epsilon(1e-14));
}
