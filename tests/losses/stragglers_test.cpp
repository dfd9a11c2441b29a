// The catalog's last entries of the regression, ranking, regularizer, contrastive and
// distillation families: bad input names the op; values by hand; the ops that hold a gradient
// (pinn_schrodinger_loss, wpc_loss, gradient_norm_penalty) against closed forms or finite
// differences of their own value.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/contrastive/contrastive_extra.h"
#include "losses/distill/distill_extra.h"
#include "losses/ranking/ranking_extra.h"
#include "losses/regression/regression_extra.h"
#include "losses/regularizer/regularizer_extra.h"

using namespace lathe;

namespace {
Tensor ints(std::vector<int64_t> v, Shape s) { return from_vector(v, s); }
Tensor f64v(std::vector<double> v, Shape s) { return from_vector(v, s, DType::f64); }
}  // namespace

TEST_CASE("stragglers reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor x = f64v({0, 0.5, 1}, {3, 1}), v = zeros({3, 1}, DType::f64);
  Tensor e = f64v({1}, {1});
  Tensor w1 = zeros({2, 1}, DType::f64), b1 = zeros({2}, DType::f64);
  Tensor w2 = zeros({1, 2}, DType::f64), b2 = zeros({1}, DType::f64);
  CHECK_THROWS_WITH(pinn_schrodinger_loss(f64v({0}, {1, 1}), zeros({1, 1}, DType::f64), e, w1,
                                          b1, w2, b2),
                    Catch::Contains("[pinn_schrodinger_loss] x must be [K, 1]"));
  CHECK_THROWS_WITH(pinn_schrodinger_loss(x, v, e, w1, b1, zeros({2, 2}, DType::f64), b2),
                    Catch::Contains("[pinn_schrodinger_loss] w2"));
  CHECK_THROWS_WITH(impact_synth_loss(zeros({2, 3}), zeros({3, 2}), {}, {}),
                    Catch::Contains("[impact_synth_loss] sct"));
  CHECK_THROWS_WITH(impact_synth_loss(zeros({2}), zeros({2}), {zeros({3})}, {}),
                    Catch::Contains("[impact_synth_loss] feats_sct has 1 layers"));
  BlockrankAttentionLossOptions bo;
  bo.block_len = 4;
  Tensor pm = from_vector(std::vector<bool>{true, false, true}, {1, 3});
  CHECK_THROWS_WITH(blockrank_attention_loss(zeros({1, 1, 1, 18}), pm, bo),
                    Catch::Contains("[blockrank_attention_loss] the key axis (18)"));
  CHECK_THROWS_WITH(blockrank_attention_loss(zeros({1, 1, 1, 20}), ints({1, 0, 1}, {1, 3}), bo),
                    Catch::Contains("[blockrank_attention_loss] pos_mask must be bool"));
  bo.tau = 0;
  CHECK_THROWS_WITH(blockrank_attention_loss(zeros({1, 1, 1, 20}), pm, bo),
                    Catch::Contains("[blockrank_attention_loss] tau"));
  CHECK_THROWS_WITH(bidirectional_repair_loss(zeros({1, 4}), ints({1, 4}, {1, 2}),
                                              ints({0, 1}, {1, 2})),
                    Catch::Contains("[bidirectional_repair_loss] item 4 out of range"));
  CHECK_THROWS_WITH(bidirectional_repair_loss(zeros({1, 4}), zeros({1, 2}), ints({0, 1}, {1, 2})),
                    Catch::Contains("[bidirectional_repair_loss] victim_topk must be integers"));
  CHECK_THROWS_WITH(sae_aux_k_loss(zeros({2, 3}), zeros({2, 3}), zeros({2, 4}), zeros({3, 5}),
                                   ints({0, 1}, {2, 1}), zeros({2, 1}), zeros({4})),
                    Catch::Contains("[sae_aux_k_loss] w_dec must have shape [3, 4]"));
  CHECK_THROWS_WITH(sae_aux_k_loss(zeros({2, 3}), zeros({2, 3}), zeros({2, 4}), zeros({3, 4}),
                                   ints({0, 7}, {2, 1}), zeros({2, 1}), zeros({4})),
                    Catch::Contains("[sae_aux_k_loss] main_idx 7 out of range"));
  CHECK_THROWS_WITH(gradient_norm_penalty(zeros({2}), {zeros({3})}),
                    Catch::Contains("[gradient_norm_penalty] loss must hold one value"));
  CHECK_THROWS_WITH(gradient_norm_penalty(zeros({1}), {}),
                    Catch::Contains("[gradient_norm_penalty] grads is empty"));
  GradientNormPenaltyOptions go;
  go.lam = -1;
  CHECK_THROWS_WITH(gradient_norm_penalty(zeros({1}), {zeros({3})}, go),
                    Catch::Contains("[gradient_norm_penalty] lam must be >= 0"));
  CHECK_THROWS_WITH(wpc_loss(zeros({3, 2}), zeros({4, 2}), zeros({5, 2}), zeros({5, 2})),
                    Catch::Contains("[wpc_loss] x [3, Dx] and y [4, 2] must pair"));
  CHECK_THROWS_WITH(wpc_loss(zeros({3, 2}), zeros({3, 2}), zeros({5, 3}), zeros({5, 2})),
                    Catch::Contains("[wpc_loss] wx must be [H, 2]"));
  FDistillWeightOptions fo;
  fo.kind = "tv";
  CHECK_THROWS_WITH(f_distill_weight(zeros({3}), fo),
                    Catch::Contains("[f_distill_weight] kind must be"));
}

TEST_CASE("pinn_schrodinger_loss: the exact ground state has zero residual", "[unit][losses]") {
  // psi(x) = sqrt(2) sin(pi x) solves -psi'' = pi^2 psi with norm 1. The trial function
  // x (1 - x) net(x) reaches it with net(x) = sqrt(2) sin(pi x) / (x (1 - x)), written as a
  // function of x: the residual vanishes at interior points, the trapezoid's norm is near 1.
  const double pi = 3.14159265358979323846;
  auto net = [&](const Tensor& xx) { return std::sqrt(2.0) * sin(pi * xx) / (xx * (1.0 - xx)); };
  std::vector<double> xs;
  for (int i = 1; i < 200; ++i) xs.push_back(i / 200.0);
  Tensor x = f64v(xs, {199, 1});
  Tensor l = schrodinger_residual_loss(net, x, zeros({199, 1}, DType::f64),
                                       f64v({pi * pi}, {1}), 0.0);
  CHECK(l.item() < 1e-16);
  // a wrong energy leaves the residual (E' - E) psi: mean((E' - E)^2 psi^2)
  Tensor l2 = schrodinger_residual_loss(net, x, zeros({199, 1}, DType::f64),
                                        f64v({pi * pi + 1.0}, {1}), 0.0);
  CHECK(l2.item() == Approx(1.0).epsilon(0.02));  // mean(psi^2) over [0, 1] is 1
}

TEST_CASE("gradient_norm_penalty: Hessian-vector gradient against finite differences",
          "[unit][losses]") {
  // surrogate h(w) = mean(tanh(X w)); l = mean((tanh(X w) - y)^2); L = l + lam rho ||dh/dw||
  Tensor xm = f64v({0.5, -1.0, 1.5, 0.3, -0.7, 0.2, 1.1, 0.4, -0.3}, {3, 3});
  Tensor y = f64v({0.1, -0.2, 0.3}, {3});
  GradientNormPenaltyOptions o;
  o.lam = 0.7;
  o.rho = 2.0;
  o.eps = 0.1;
  auto objective = [&](const Tensor& w) {
    Tensor pred = tanh(matmul(xm, w));                                     // [3]
    Tensor l = mean((pred - y) * (pred - y));
    return gradient_norm_penalty(l, surrogate_grads(mean(pred), {w}), o).loss;
  };
  std::vector<double> w0 = {0.3, -0.4, 0.8};
  Tensor w = f64v(w0, {3}).requires_grad_();
  objective(w).backward();
  std::vector<double> g = w.grad().to_vector<double>();
  for (int i = 0; i < 3; ++i) {
    std::vector<double> wp = w0, wm = w0;
    wp[i] += 1e-6;
    wm[i] -= 1e-6;
    Tensor a = f64v(wp, {3}).requires_grad_(), b = f64v(wm, {3}).requires_grad_();
    double fd = (objective(a).item() - objective(b).item()) / 2e-6;
    CHECK(g[i] == Approx(fd).epsilon(1e-6));
  }
  CHECK(ignite_dual_step(0.5, 0.3, 0.1, 2.0) == Approx(0.9));
  CHECK(ignite_dual_step(0.1, 0.0, 0.5, 1.0) == 0.0);
}

TEST_CASE("stragglers by hand", "[unit][losses]") {
  // bidirectional repair: up {1}, down {5}: softplus(-(s1 - s5)) = log(1 + e^{-1})
  Tensor s = f64v({0, 2, 0, 0, 0, 1}, {1, 6});
  CHECK(bidirectional_repair_loss(s, ints({1, 2}, {1, 2}), ints({2, 5}, {1, 2})).item() ==
        Approx(std::log1p(std::exp(-1.0))).epsilon(1e-14));
  // identical sets: 0 with a graph
  Tensor s2 = s.clone().requires_grad_();
  Tensor l = bidirectional_repair_loss(s2, ints({1, 2}, {1, 2}), ints({2, 1}, {1, 2}));
  CHECK(l.item() == 0.0);
  l.backward();
  for (double g : s2.grad().to_vector<double>()) CHECK(g == 0.0);
  // blockrank: uniform logits give r_d = 1/(D tau) for every document: L = log(D / |A|)
  BlockrankAttentionLossOptions bo;
  bo.block_len = 2;
  Tensor pm = from_vector(std::vector<bool>{true, false, false, true, true, false}, {2, 3});
  CHECK(blockrank_attention_loss(zeros({2, 2, 1, 10}, DType::f64), pm, bo).item() ==
        Approx((std::log(3.0) + std::log(1.5)) / 2).epsilon(1e-12));
  // f_distill_weight's table at r = e^0 = 1: 1, 1/2, 1/2, 1/4, 1, 2
  std::vector<std::pair<const char*, double>> table = {
      {"reverse_kl", 1.0}, {"softened_rkl", 0.5}, {"js", 0.5},
      {"hellinger", 0.25}, {"forward_kl", 1.0},   {"jeffreys", 2.0}};
  for (const auto& [kind, want] : table) {
    FDistillWeightOptions fo;
    fo.kind = kind;
    CHECK(f_distill_weight(zeros({2}, DType::f64), fo).to_vector<double>()[0] ==
          Approx(want).epsilon(1e-15));
  }
  // impact: |1 - 0| voxel term 1, a layer of weight 2 with |3 - 1| = 2: 1 + 4
  ImpactSynthLossOptions io;
  io.layer_weights = f64v({2.0}, {1});
  CHECK(impact_synth_loss(f64v({1}, {1}), f64v({0}, {1}), {f64v({3}, {1})}, {f64v({1}, {1})}, io)
            .item() == Approx(5.0));
  CHECK(impact_synth_loss(f64v({1, 2}, {2}), f64v({0, 0}, {2}), {}, {}).item() == Approx(1.5));
  // sae aux-k with no dead latent: e_hat = 0, L = mean(e^2) / mean((mean e - e)^2)
  Tensor xx = f64v({1, 3}, {2, 1}), xh = zeros({2, 1}, DType::f64);
  SaeAuxKResult r = sae_aux_k_loss(xx, xh, f64v({1, 1}, {2, 1}), f64v({1}, {1, 1}),
                                   ints({0, 0}, {2, 1}), f64v({1, 1}, {2, 1}),
                                   f64v({5}, {1}));
  CHECK(r.loss.item() == Approx(5.0));  // (1 + 9) / 2 over ((1 + 1) / 2)
  CHECK(r.counter.to_vector<double>() == std::vector<double>{1});
}

TEST_CASE("lelp_kd: subclass targets from the null space, collapse, bad input",
          "[unit][losses]") {
  // W spans the first two axes: only the third survives the projection. Class 0's third
  // coordinates -2, -1, 1, 2 split into bins 0, 0, 1, 1; class 1's into 2, 2, 3, 3 (the first
  // two coordinates, which the classifier reads, are ignored).
  Tensor w = f64v({1, 0, 0, 0, 1, 0}, {2, 3});
  Tensor e = f64v({5, 0, -2, 1, 0, 2, 9, 1, -1, 3, 0, 1,   // class 0: z -2, 2, -1, 1
                   0, 7, 4, 0, 2, -4, 1, 1, 3, 0, 5, -3},  // class 1: z 4, -4, 3, -3
                  {8, 3});
  Tensor y = ints({0, 0, 0, 0, 1, 1, 1, 1}, {8});
  CHECK(lelp_subclass_targets(e, y, w, 2).to_vector<int64_t>() ==
        std::vector<int64_t>{0, 1, 0, 1, 3, 2, 3, 2});
  CHECK(lelp_subclass_targets(e, y, w, 1).to_vector<int64_t>() ==
        std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 1});
  Tensor z = f64v({0, 0, 1, 1}, {1, 4});  // two classes of two subclasses
  std::vector<double> col = lelp_collapse(z, 2).to_vector<double>();
  CHECK(col[0] == Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(col[1] == Approx(1 + std::log(2.0)).epsilon(1e-15));
  LelpKdOptions o;
  o.subclasses = 4;
  CHECK_THROWS_WITH(lelp_kd(zeros({2, 6}), ints({0, 1}, {2}), o),
                    Catch::Contains("[lelp_kd] student has 6 columns, not a multiple of"));
  CHECK_THROWS_WITH(lelp_kd(zeros({2, 6}), ints({0, 6}, {2})),
                    Catch::Contains("[lelp_kd] target 6 out of range"));
}
