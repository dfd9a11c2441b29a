// The metric family (ops/metric/): bad input names the op; values by hand (rank-deficient and
// degenerate spectra, empty bins, identical models, first occurrences); the scores build no
// graph.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "lathe.h"
#include "ops/metric/metric.h"

using namespace lathe;

namespace {
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s); }
Tensor i64(std::vector<int64_t> v, Shape s) { return from_vector(v, s); }
double entropy_of(const std::vector<double>& p) {
  double h = 0;
  for (double x : p) h -= x * std::log(x);
  return h;
}
}  // namespace

TEST_CASE("rankme by hand: rank 1, orthogonal rows, bad input", "[unit][metric]") {
  // rank 1 (all-equal rows): sigma = (s, 0, 0), p = (1 + eps, eps, eps)
  double eps = 1e-7;
  Tensor z = f64({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, {4, 3});
  CHECK(rankme(z).item() == Approx(std::exp(entropy_of({1 + eps, eps, eps}))).epsilon(1e-12));
  // equal singular values: p = 1/3 + eps each, RankMe ~ 3
  Tensor eye = f64({2, 0, 0, 0, 2, 0, 0, 0, 2}, {3, 3});
  double third = 1.0 / 3 + eps;
  CHECK(rankme(eye).item() == Approx(std::exp(entropy_of({third, third, third}))).epsilon(1e-12));
  CHECK_THROWS_WITH(rankme(f64({1, 2}, {2})), Catch::StartsWith("[rankme]"));
  CHECK_THROWS_WITH(rankme(eye, {-1.0}), Catch::StartsWith("[rankme]"));
  CHECK_THROWS_WITH(rankme(cast(eye, DType::i64)), Catch::StartsWith("[rankme]"));
}

TEST_CASE("matrix_nuclear_norm by hand and at L = 1", "[unit][metric]") {
  // rows (1, 0) and (-1, 0) after centring (mean 0): normalized (1, 0), (-1, 0); column norms
  // (sqrt 2, 0); D = min(2, 2) = 2: sqrt 2 / 2
  Tensor r = f64({3, 5, 1, 5}, {2, 2});
  CHECK(matrix_nuclear_norm(r).item() == Approx(std::sqrt(2.0) / 2).epsilon(1e-14));
  // L = 1: the centred row is 0 (the reference divides 0 by 0): 0 here, zero gradient
  Tensor one = f64({1, 2, 3}, {1, 3}).requires_grad_();
  Tensor v = matrix_nuclear_norm(one);
  CHECK(v.item() == 0.0);
  v.backward();
  for (double g : one.grad().to_vector<double>()) CHECK(g == 0.0);
  CHECK_THROWS_WITH(matrix_nuclear_norm(r, {3}), Catch::StartsWith("[matrix_nuclear_norm]"));
  CHECK_THROWS_WITH(matrix_nuclear_norm(f64({1}, {1})),
                    Catch::StartsWith("[matrix_nuclear_norm]"));
}

TEST_CASE("matrix_entropy by hand: rank 1 is 0, isotropic is 1", "[unit][metric]") {
  // two rows: one direction after centring, a single eigenvalue 1: entropy 0
  Tensor r = f64({1, 2, 0, 3, 1, 1}, {2, 3});
  CHECK(matrix_entropy(r).item() == Approx(0.0).margin(1e-12));
  // the rows +-e1, +-e2 (mean 0): A = diag(1/2, 1/2): entropy log 2 / log 2 = 1
  Tensor iso = f64({1, 0, -1, 0, 0, 1, 0, -1}, {4, 2});
  CHECK(matrix_entropy(iso).item() == Approx(1.0).epsilon(1e-12));
  // rank-deficient with a graph: finite value and gradient
  Tensor x = f64({0.3, -1.2, 0.5, 2.0, 0.1, -0.7, 1.1, 0.4, -0.2, 0.9}, {2, 5}).requires_grad_();
  Tensor e = matrix_entropy(x);
  CHECK(std::isfinite(e.item()));
  CHECK_THROWS_WITH(matrix_entropy(f64({1, 2, 3}, {1, 3})), Catch::StartsWith("[matrix_entropy]"));
  CHECK_THROWS_WITH(matrix_entropy(f64({1, 2, 3}, {3, 1})), Catch::StartsWith("[matrix_entropy]"));
  CHECK_THROWS_WITH(matrix_entropy(f64({1, 2, 1, 2}, {2, 2})),
                    Catch::StartsWith("[matrix_entropy]") && Catch::Contains("mean"));
}

TEST_CASE("diffusion_spectral_entropy by hand: tiny sigma gives a flat spectrum",
          "[unit][metric]") {
  // sigma -> 0: G ~ I / (sigma sqrt(2 pi)), K = I, every eigenvalue 1: after dropping one,
  // N - 1 equal p: log2(N - 1) bits (eps negligible)
  Tensor x = f64({0, 0, 5, 0, 0, 5, 5, 5}, {4, 2});
  DiffusionSpectralEntropyOptions o;
  o.sigma = 0.1;
  CHECK(diffusion_spectral_entropy(x, o).item() == Approx(std::log2(3.0)).epsilon(1e-9));
  o.drop_trivial = false;
  CHECK(diffusion_spectral_entropy(x, o).item() == Approx(2.0).epsilon(1e-9));
  // duplicate points: finite
  Tensor dup = f64({1, 2, 1, 2, 0, 1}, {3, 2});
  CHECK(std::isfinite(diffusion_spectral_entropy(dup, {1.0}).item()));
  CHECK_THROWS_WITH(diffusion_spectral_entropy(x, {0.0}),
                    Catch::StartsWith("[diffusion_spectral_entropy]"));
  DiffusionSpectralEntropyOptions bad_t;
  bad_t.t = 0;
  CHECK_THROWS_WITH(diffusion_spectral_entropy(x, bad_t),
                    Catch::StartsWith("[diffusion_spectral_entropy]"));
  CHECK_THROWS_WITH(diffusion_spectral_entropy(f64({1, 2}, {1, 2})),
                    Catch::StartsWith("[diffusion_spectral_entropy]"));
}

TEST_CASE("tolerance_metric by hand and with no same-label pair", "[unit][metric]") {
  // class 0: (1, 0), (1, 1) -> cos 1/sqrt2; class 1: (0, 2), (0, -1) -> cos -1
  Tensor f = f64({1, 0, 1, 1, 0, 2, 0, -1}, {4, 2});
  double want = (2 / std::sqrt(2.0) + 2 * -1.0) / 4;
  CHECK(tolerance_metric(f, i64({0, 0, 1, 1}, {4})).item() == Approx(want).epsilon(1e-14));
  CHECK_THROWS_WITH(tolerance_metric(f, i64({0, 1, 2, 3}, {4})),
                    Catch::StartsWith("[tolerance_metric]") && Catch::Contains("share"));
  CHECK_THROWS_WITH(tolerance_metric(f, f64({0, 0, 1, 1}, {4})),
                    Catch::StartsWith("[tolerance_metric]"));
  CHECK_THROWS_WITH(tolerance_metric(f, i64({0, 0, 1}, {3})),
                    Catch::StartsWith("[tolerance_metric]"));
}

TEST_CASE("ece by hand: empty bins, the upper-inclusive edge, no graph", "[unit][metric]") {
  // two samples at confidence 0.5 (bin (0.4, 0.5] of 10), one right one wrong: |0.5 - 0.5| = 0;
  // one at softmax(ln 3, 0) = 0.75 right: |0.75 - 1| / 3
  Tensor z = f64({0, 0, 0, 0, std::log(3.0), 0}, {3, 2}).requires_grad_();
  Tensor e = ece(z, i64({0, 1, 0}, {3}), {10});
  CHECK(e.item() == Approx(0.25 / 3).epsilon(1e-14));
  CHECK_FALSE(e.requires_grad());
  CHECK_THROWS_WITH(ece(z, i64({0, 2, 0}, {3})), Catch::StartsWith("[ece]"));
  CHECK_THROWS_WITH(ece(z, i64({0, 1, 0}, {3}), {0}), Catch::StartsWith("[ece]"));
  CHECK_THROWS_WITH(ece(z, f64({0, 1, 0}, {3})), Catch::StartsWith("[ece]"));
}

TEST_CASE("transfer_score by hand: simplex weights, uniform predictions", "[unit][metric]") {
  // W a regular 3-simplex in 2-D (U = 0); uniform predictions: IM = log 3 - log(1/3 + 1e-6)
  // ... computed below; Hopkins: points (0, 0), (1, 0), (0, 1); uniform point (1, 1): u = 1;
  // sampled row 0: its nearest other row at 1: H = 1 / 2
  double s = std::sqrt(3.0) / 2;
  Tensor w = f64({1, 0, -0.5, s, -0.5, -s}, {3, 2});
  Tensor x = f64({0, 0, 1, 0, 0, 1}, {3, 2});
  Tensor p = full({1, 4, 3}, 1.0 / 3, DType::f64);
  double third = 1.0 / 3;
  double im = -3 * third * std::log(third + 1e-5) + 3 * third * std::log(third + 1e-6);
  Tensor ts = transfer_score(w, x, p, f64({1, 1}, {1, 2}), i64({0}, {1}));
  CHECK(ts.item() == Approx(0.5 - im / std::log(3.0)).margin(1e-7));
  CHECK_THROWS_WITH(transfer_score(w, x, p, zeros({0, 2}, DType::f64), i64({}, {0})),
                    Catch::StartsWith("[transfer_score]"));
  CHECK_THROWS_WITH(transfer_score(w, x, p, f64({1, 1}, {1, 2}), i64({3}, {1})),
                    Catch::StartsWith("[transfer_score]"));
  CHECK_THROWS_WITH(transfer_score(w, x, full({1, 4, 2}, 0.5, DType::f64), f64({1, 1}, {1, 2}),
                                   i64({0}, {1})),
                    Catch::StartsWith("[transfer_score]"));
}

TEST_CASE("dc_pdd_score by hand: first occurrences, the clip", "[unit][metric]") {
  // counts (1, 2, 0) + 1 over 3 + 3: f = (2/6, 3/6, 1/6); ids (1, 1, 2): keep 0 and 2
  Tensor p = f64({0.01, 0.5, 0.002}, {3});
  Tensor c = f64({1, 2, 0}, {3});
  double ce0 = std::min(0.01 * std::log(2.0), 0.01), ce2 = std::min(0.002 * std::log(6.0), 0.01);
  CHECK(dc_pdd_score(p, i64({1, 1, 2}, {3}), c).item() ==
        Approx(-(ce0 + ce2) / 2).epsilon(1e-14));
  CHECK_THROWS_WITH(dc_pdd_score(p, i64({1, 3, 2}, {3}), c), Catch::StartsWith("[dc_pdd_score]"));
  CHECK_THROWS_WITH(dc_pdd_score(p, i64({1, 1}, {2}), c), Catch::StartsWith("[dc_pdd_score]"));
}

TEST_CASE("el2n_score, ssl_prototype_score, color_filter_score by hand", "[unit][metric]") {
  // el2n: C = 1: softmax is 1, the score 0; uniform 2-class predictions: sqrt(0.5)
  CHECK(el2n_score(zeros({2, 3, 1}, DType::f64), i64({0, 0, 0}, {3})).to_vector<double>() ==
        std::vector<double>{0, 0, 0});
  CHECK(el2n_score(zeros({1, 1, 2}, DType::f64), i64({1}, {1})).item() ==
        Approx(std::sqrt(0.5)).epsilon(1e-14));
  CHECK_THROWS_WITH(el2n_score(zeros({1, 1, 2}, DType::f64), i64({2}, {1})),
                    Catch::StartsWith("[el2n_score]"));
  // ssl: a zero embedding scores 1; a centroid's ray scores 0
  Tensor sc = ssl_prototype_score(f64({0, 0, 3, 0}, {2, 2}), f64({1, 0}, {1, 2}));
  CHECK(sc.to_vector<double>() == std::vector<double>{1.0, 0.0});
  CHECK_THROWS_WITH(ssl_prototype_score(f64({0, 0}, {1, 2}), f64({1, 0, 0}, {1, 3})),
                    Catch::StartsWith("[ssl_prototype_score]"));
  // color filter: identical models score 0; a fully ignored sequence scores 0
  Tensor lg = f64({0.1, 0.5, -0.3, 0.2, 0.9, -1.0, 0.4, 0.0, 0.3, 0.3, -0.2, 0.8}, {2, 3, 2});
  Tensor other = f64({1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0}, {2, 3, 2});
  Tensor lab = i64({0, 1, 0, 1, -100, -100}, {2, 3});
  CHECK(color_filter_score(lg, lg, lab).to_vector<double>() == std::vector<double>{0.0, 0.0});
  CHECK(color_filter_score(lg, other, lab).to_vector<double>()[1] == 0.0);
  CHECK_THROWS_WITH(color_filter_score(lg, other, i64({0, 2, 0, 1, 1, 1}, {2, 3})),
                    Catch::StartsWith("[color_filter_score]"));
  CHECK_THROWS_WITH(color_filter_score(slice(lg, 1, 0, 1), slice(lg, 1, 0, 1),
                                       i64({0, 1}, {2, 1})),
                    Catch::StartsWith("[color_filter_score]"));
}

TEST_CASE("klom by hand: identical samples 0, disjoint histograms", "[unit][metric]") {
  Tensor same = f64({0.5, -1, 0.5, -1}, {2, 2});
  CHECK(klom(same, same).to_vector<double>() == std::vector<double>{0.0, 0.0});
  // p at 0 (twice), q at 0 and 1 (top edge, dropped): both histograms are bin 1 only: KL 0;
  // p at 1 (top, dropped ... ) covered by the cases; here p = {0, 0}, q = {0.5, 1}: 2 bins on
  // [0, 1]: p in bin 1, q's 0.5 in bin 2 (1 is the top edge): q bin 1 floored at eps
  KlomOptions o;
  o.bins = 2;
  o.eps = 1e-3;
  Tensor kl = klom(f64({0, 0}, {2, 1}), f64({0.5, 1}, {2, 1}), o);
  CHECK(kl.item() == Approx(std::log((1 + 1e-3) / 1e-3)).epsilon(1e-12));
  CHECK_THROWS_WITH(klom(same, f64({1, 2, 3}, {1, 3})), Catch::StartsWith("[klom]"));
  // margins: f_y - logsumexp of the others
  Tensor m = klom_margins(f64({2, 0, 0}, {1, 1, 3}), i64({0}, {1}));
  CHECK(m.item() == Approx(2 - std::log(2.0)).epsilon(1e-14));
  CHECK_THROWS_WITH(klom_margins(f64({2}, {1, 1, 1}), i64({0}, {1})),
                    Catch::StartsWith("[klom_margins]"));
}

TEST_CASE("opis by hand: equal utility curves give 0, one split threshold", "[unit][metric]") {
  // class 0's positive pair at 0.1, class 1's at 0.9, every negative pair at 2:
  // U_0 = (0, 1, 1), U_1 = (0, 0, 1) at d = (0, 0.5, 1): variance (0, 1/4, 0),
  // trapezoids 1/16 + 1/16 over the range 1
  Tensor dist = f64({0, 0.1, 2, 2, 0.1, 0, 2, 2, 2, 2, 0, 0.9, 2, 2, 0.9, 0}, {4, 4});
  Tensor lab = i64({0, 0, 1, 1}, {4});
  CHECK(opis(dist, lab, f64({0, 0.5, 1}, {3})).item() == Approx(0.125).epsilon(1e-14));
  CHECK(opis(dist, lab, f64({0, 1}, {2})).item() == 0.0);
  CHECK_THROWS_WITH(opis(dist, lab, f64({1, 0}, {2})), Catch::StartsWith("[opis]"));
  CHECK_THROWS_WITH(opis(dist, i64({0, 1, 2, 3}, {4}), f64({0, 1}, {2})),
                    Catch::StartsWith("[opis]") && Catch::Contains("positive"));
  CHECK_THROWS_WITH(opis(dist, lab, f64({0}, {1})), Catch::StartsWith("[opis]"));
}
