// The "other" family's procedures (losses/other/other.h), each run on a tiny model: LAF's VAE,
// unlearning and alignment steps; SHA256's joint loss and adaptive alpha; FOD's two-stage
// minimax step; ARL's fusion weights and loss; trajectory matching's unrolled SGD (closed form
// and finite differences through the unroll); Weak Cube R-CNN's 2D-supervised cube losses.
// Each loss part's gradient is also checked against central differences.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "lathe.h"
#include "losses/other/other.h"

using namespace lathe;

namespace {

Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s, DType::f64); }

// Loss after one plain SGD step of size lr on params, for a loss recomputed by fn.
double after_step(const std::vector<Tensor>& params, const std::function<Tensor()>& fn,
                  double lr) {
  optim::SGD opt(params, lr);
  opt.zero_grad();
  fn().backward();
  opt.step();
  NoGradGuard no_grad;
  return fn().item();
}

// The gradient of the scalar f at x0 (f64) against central differences, element by element.
void check_grad(const std::function<Tensor(const Tensor&)>& f, const Tensor& x0) {
  Tensor x = x0.detach().clone();
  x.requires_grad_(true);
  f(x).backward();
  REQUIRE(x.grad().defined());
  std::vector<double> g = x.grad().to_vector<double>(), v = x0.to_vector<double>();
  for (size_t i = 0; i < v.size(); ++i) {
    std::vector<double> hi = v, lo = v;
    hi[i] += 1e-6;
    lo[i] -= 1e-6;
    double fd = (f(f64(hi, x0.shape())).item() - f(f64(lo, x0.shape())).item()) / 2e-6;
    CHECK(g[i] == Approx(fd).epsilon(1e-5).margin(1e-7));
  }
}

}  // namespace

TEST_CASE("the procedures' loss parts match central differences", "[unit][losses]") {
  Tensor a = randn({3, 4}, DType::f64), b = randn({3, 4}, DType::f64);
  Tensor c = randn({2, 4}, DType::f64), d = randn({2, 4}, DType::f64);
  check_grad([&](const Tensor& x) { return laf_align_loss(x, a, c, d, 5.0); }, b);
  check_grad([&](const Tensor& x) { return laf_unlearn_loss(sigmoid(x), x, c, d); }, a);
  Tensor mu = randn({3, 2}, DType::f64), sigma = rand({3, 2}, DType::f64) + 0.5;
  check_grad([&](const Tensor& x) { return laf_vae_loss(sigmoid(a), a, x, sigma); }, mu);
  check_grad([&](const Tensor& x) { return laf_vae_loss(sigmoid(a), a, mu, x); }, sigma);
  // FOD: the target's sigma through both KL directions and the entropy of an attention.
  Tensor s = randn({2, 4, 2}, DType::f64), attn = softmax(randn({2, 4, 4}, DType::f64), -1);
  check_grad([&](const Tensor& x) {
    Tensor t = fod_rbf_target(x, 2);
    return mean(fod_kl(t, attn)) + mean(fod_kl(attn, t));
  }, s);
  check_grad([&](const Tensor& x) { return mean(fod_entropy(softmax(x, -1))); },
             randn({2, 4, 4}, DType::f64));
  check_grad([&](const Tensor& x) { return fod_recon_loss(x, a); }, b);
  Tensor y = from_vector(std::vector<int64_t>{0, 2, 1}, {3});
  check_grad([&](const Tensor& x) { return arl_loss(x + a, x, a, y, 0.5); }, b);
  check_grad([&](const Tensor& x) {
    return unlearning_joint_loss(x, y, a, y, 1.7);
  }, b);
  // Weak Cube: the projected-box GIoU and the normal term w.r.t. the cube center and dims.
  Tensor K = f64({100, 0, 50, 0, 100, 50, 0, 0, 1}, {1, 3, 3});
  Tensor R = f64({0.8, -0.6, 0, 0.6, 0.8, 0, 0, 0, 1}, {1, 3, 3});
  Tensor gt = f64({30, 35, 62, 70}, {1, 4}), up = f64({0.1, 1, 0.2}, {1, 3});
  check_grad([&](const Tensor& x) {
    return weakcube_losses(x, f64({2, 3, 1.5}, {1, 3}), R, K, gt, up, {1}).total;
  }, f64({0.3, -0.2, 9}, {1, 3}));
  check_grad([&](const Tensor& x) {
    return weakcube_losses(f64({0.3, -0.2, 9}, {1, 3}), x, R, K, gt, up, {1}).total;
  }, f64({2, 3, 1.5}, {1, 3}));
}

TEST_CASE("LAF loss parts by hand, and its unlearning and alignment steps on a tiny model",
          "[unit][losses]") {
  Tensor e = f64({1, 0, 0, 2}, {2, 2}), eh = f64({0, 0, 0, 1}, {2, 2});
  // m = [1, 1]: nmse = 2 exp(1/2).
  CHECK(laf_nmse(eh, e).item() == Approx(2 * std::exp(0.5)).epsilon(1e-14));
  Tensor mu = f64({0.5, -0.5}, {2, 1}), sigma = f64({1, 2}, {2, 1});
  double kld = -0.5 * ((std::log(1 + 1e-8) + 1 - 0.25 - 1) + (std::log(4 + 1e-8) + 1 - 0.25 - 4));
  CHECK(laf_vae_loss(eh, e, mu, sigma).item() ==
        Approx(2.0 / 2 + 0.025 * kld / 2).epsilon(1e-14));
  // c = [0, 1] (same and orthogonal directions), u = [2] (opposite): sum_i (c_i - u / tau).
  Tensor er = f64({1, 0, 0, 1}, {2, 2}), ert = f64({2, 0, 1, 0}, {2, 2});
  Tensor ef = f64({1, 1}, {1, 2}), eft = f64({-1, -1}, {1, 2});
  CHECK(laf_align_loss(er, ert, ef, eft, 5.0).item() ==
        Approx((0 - 0.4) + (1 - 0.4)).epsilon(1e-14));

  // A tiny representation model x [., 3] -> e [., 4] and two fixed (sampling-free) "VAEs".
  auto model = std::make_shared<nn::Linear>(3, 4, true, DType::f64);
  auto vae_r = std::make_shared<nn::Linear>(4, 4, true, DType::f64);
  auto vae_f = std::make_shared<nn::Linear>(4, 4, true, DType::f64);
  for (Tensor p : vae_r->parameters()) p.requires_grad_(false);
  for (Tensor p : vae_f->parameters()) p.requires_grad_(false);
  Tensor xr = randn({5, 3}, DType::f64), xf = randn({3, 3}, DType::f64);
  auto unlearn = [&] {
    Tensor er_ = model->forward(xr), ef_ = model->forward(xf);
    return laf_unlearn_loss(sigmoid(vae_r->forward(er_)), er_, sigmoid(vae_f->forward(ef_)),
                            ef_);
  };
  double before = unlearn().item();
  CHECK(after_step(model->parameters(), unlearn, 1e-3) < before);

  // Alignment against the frozen original model: the teacher's gradient never moves.
  auto teacher = std::make_shared<nn::Linear>(3, 4, true, DType::f64);
  teacher->weight.requires_grad_(true);
  auto align = [&] {
    return laf_align_loss(model->forward(xr), teacher->forward(xr), model->forward(xf),
                          teacher->forward(xf));
  };
  before = align().item();
  CHECK(after_step(model->parameters(), align, 1e-2) < before);
  align().backward();
  CHECK_FALSE(teacher->weight.grad().defined());
}

TEST_CASE("SHA256 joint loss on a tiny model and the code's adaptive alpha", "[unit][losses]") {
  auto model = std::make_shared<nn::Linear>(3, 5, true, DType::f64);
  Tensor xf = randn({4, 3}, DType::f64), xr = randn({6, 3}, DType::f64);
  Tensor yf = from_vector(std::vector<int64_t>{0, 4, -100, 2}, {4});
  Tensor yr = from_vector(std::vector<int64_t>{1, 1, 3, -100, 0, 2}, {6});
  Tensor lf = model->forward(xf), lr = model->forward(xr);
  double want = -cross_entropy(lf, yf).item() + 1.5 * cross_entropy(lr, yr).item();
  CHECK(unlearning_joint_loss(lf, yf, lr, yr, 1.5).item() == Approx(want).epsilon(1e-14));
  // An empty forget batch contributes 0.
  CHECK(unlearning_joint_loss(zeros({0, 5}, DType::f64), from_vector(std::vector<int64_t>{}, {0}),
                              lr, yr, 2.0).item() ==
        Approx(2.0 * cross_entropy(lr, yr).item()).epsilon(1e-14));
  auto loss = [&] {
    return unlearning_joint_loss(model->forward(xf), yf, model->forward(xr), yr, 1.2);
  };
  double before = loss().item();
  CHECK(after_step(model->parameters(), loss, 1e-3) < before);

  UnlearningAlpha alpha;
  CHECK(alpha.update(1.0, 2, 0) == 1.2);  // epoch 0: records; reference (1 + 0) / 2 = 0.5
  CHECK(alpha.update(0.0, 0, 0) == 1.2);
  CHECK(alpha.average == Approx(0.5));
  CHECK(alpha.update(0.4, 2, 1) == 1.2);                // below the reference
  CHECK(alpha.update(0.9, 2, 1) == Approx(1.4));        // 0.3 * 6^0.4 + 0.8 = 1.414 -> 1.4
  CHECK(alpha.update(1.5, 2, 1) == Approx(2.3));        // 2.6 capped at 2.3
  CHECK(alpha.update(0.7, 2, 1) == Approx(1.2));        // 1.229 -> 1.2
}

TEST_CASE("FOD targets by hand, and its two-stage step moves what each stage should",
          "[unit][losses]") {
  // One patch: the target is 1. s = 0 on a 2 x 2 grid: sigma = 3^(0.5 + 1e-5) - 1 for both
  // axes; row 0 holds exp(-(dy^2 + dx^2) / (2 sigma^2)) normalized: [1, a, a, a^2].
  CHECK(fod_rbf_target(zeros({1, 1, 2}, DType::f64), 1).item() == Approx(1.0));
  double sg = std::pow(3.0, 0.5 + 1e-5) - 1, a = std::exp(-1 / (2 * sg * sg));
  std::vector<double> t = fod_rbf_target(zeros({1, 4, 2}, DType::f64), 2).to_vector<double>();
  double z = 1 + 2 * a + a * a;
  CHECK(t[0] == Approx(1 / z).epsilon(1e-13));
  CHECK(t[1] == Approx(a / z).epsilon(1e-13));
  CHECK(t[3] == Approx(a * a / z).epsilon(1e-13));
  Tensor p = f64({0.5, 0.5, 1.0, 0.0}, {1, 2, 2}), q = f64({0.25, 0.75, 0.5, 0.5}, {1, 2, 2});
  std::vector<double> kl = fod_kl(p, q).to_vector<double>();
  double k0 = 0.5 * (std::log(0.5001) - std::log(0.2501)) +
              0.5 * (std::log(0.5001) - std::log(0.7501));
  CHECK(kl[0] == Approx(k0).epsilon(1e-13));
  CHECK(fod_entropy(p).to_vector<double>()[1] ==
        Approx(-std::log(1.0001)).epsilon(1e-12));

  // Tiny model: 2 heads on a 2 x 2 grid of 3-d features; attention from query/key maps, the
  // target's sigma from a projection of the features.
  auto wq = std::make_shared<nn::Linear>(3, 4, false, DType::f64);
  auto wk = std::make_shared<nn::Linear>(3, 4, false, DType::f64);
  auto ws = std::make_shared<nn::Linear>(3, 4, true, DType::f64);
  auto layer = [&](const Tensor& x) {
    Tensor qh = permute(reshape(wq->forward(x), {4, 2, 2}), {1, 0, 2});   // [h, L, 2]
    Tensor kh = permute(reshape(wk->forward(x), {4, 2, 2}), {1, 0, 2});   // [h, L, 2]
    Tensor attn = softmax(matmul(qh, transpose(kh, 1, 2)), -1);          // [h, L, L]
    Tensor s = permute(reshape(ws->forward(x), {4, 2, 2}), {1, 0, 2});    // [h, L, 2]
    return FodLayer{attn, fod_rbf_target(s, 2)};
  };
  Tensor rec = scalar(0.0, DType::f64);
  FodLayer intra = layer(randn({4, 3}, DType::f64));
  FodLayer inter = layer(randn({4, 3}, DType::f64));
  FodLosses l = fod_losses(rec, {intra}, {inter});
  // loss1 moves only sigma (the attention is detached in L2); loss2 only the attention.
  l.loss1.backward(Tensor(), true);
  CHECK_FALSE(wq->weight.grad().defined());
  REQUIRE(ws->weight.grad().defined());
  Tensor ws_grad = ws->weight.grad().clone();
  l.loss2.backward();
  REQUIRE(wq->weight.grad().defined());
  std::vector<double> g1 = ws_grad.to_vector<double>(), g2 = ws->weight.grad().to_vector<double>();
  for (size_t i = 0; i < g1.size(); ++i) CHECK(g2[i] == g1[i]);
  // intra and inter terms with the same layer cancel.
  FodLosses same = fod_losses(rec, {intra}, {intra});
  CHECK(same.loss1.item() == Approx(0.0).margin(1e-14));
  CHECK(same.loss2.item() == Approx(0.0).margin(1e-14));
}

TEST_CASE("ARL fusion weights follow the script, and the loss trains a two-branch model",
          "[unit][losses]") {
  Tensor za = f64({2, 0, -1, 0.5, 0.5, 0.5}, {2, 3}), zv = f64({0.1, 0.2, 0, 3, -3, 1}, {2, 3});
  // The script's arithmetic, spelled out.
  auto entropy = [](std::vector<double> z) {
    double h = 0;
    for (int b = 0; b < 2; ++b) {
      double m = 0, s = 0;
      for (int c = 0; c < 3; ++c) s += std::exp(z[b * 3 + c]);
      for (int c = 0; c < 3; ++c) {
        double pc = std::exp(z[b * 3 + c]) / s;
        m -= pc * std::log(pc + 1e-16);
      }
      h += m / 2;
    }
    return h;
  };
  double ha = entropy(za.to_vector<double>()), hv = entropy(zv.to_vector<double>());
  double han = std::max(ha / (ha + hv), 0.3), hvn = std::max(hv / (ha + hv), 0.3);
  double aw = (1 / han) / (1 / han + 1 / hvn), vw = 1 - aw;
  double ma = 1.25 + 0.25 + 0.75, mv = 1.55 + 1.6 + 0.5;  // sum_c mean_b |z|
  double ca = ma / (ma + mv), cv = mv / (ma + mv);
  double s0 = 8 * cv * aw, s1 = 8 * ca * vw;
  std::vector<double> w = arl_weights(za, zv).to_vector<double>();
  CHECK(w[0] == Approx(1 / (1 + std::exp(s1 - s0))).epsilon(1e-13));
  CHECK(w[0] + w[1] == Approx(1.0));

  auto fa = std::make_shared<nn::Linear>(4, 3, true, DType::f64);
  auto fv = std::make_shared<nn::Linear>(5, 3, true, DType::f64);
  Tensor xa = randn({6, 4}, DType::f64), xv = randn({6, 5}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2, 0, 1, 2}, {6});
  auto loss = [&] {
    Tensor a_ = fa->forward(xa), v_ = fv->forward(xv);
    Tensor wt = arl_weights(a_, v_);
    REQUIRE_FALSE(wt.requires_grad());
    Tensor fused = narrow(wt, 0, 0, 1) * a_ + narrow(wt, 0, 1, 1) * v_;
    return arl_loss(fused, a_, v_, y, 0.5);
  };
  Tensor a_ = fa->forward(xa), v_ = fv->forward(xv);
  std::vector<double> wt = arl_weights(a_, v_).to_vector<double>();
  Tensor fused = wt[0] * a_ + wt[1] * v_;
  CHECK(loss().item() == Approx(cross_entropy(fused, y).item() +
                                0.5 * (cross_entropy(a_, y).item() + cross_entropy(v_, y).item()))
                             .epsilon(1e-13));
  std::vector<Tensor> params = fa->parameters();
  for (Tensor p_ : fv->parameters()) params.push_back(p_);
  double before = loss().item();
  CHECK(after_step(params, loss, 1e-2) < before);
}

TEST_CASE("trajectory matching: closed form, lr gradient through the unroll, bad input",
          "[unit][losses]") {
  // inner loss 1/2 |theta - c|^2: theta_N - c = (1 - lr)^N (theta_0 - c), so with the target
  // at c the loss is (1 - lr)^(2N) and d/dlr = -2N (1 - lr)^(2N - 1).
  Tensor c = f64({1, -2, 0.5}, {3}), start = f64({0, 0, 0}, {3});
  auto quad = [&](const Tensor& th, int64_t) {
    Tensor d = th - c;
    return 0.5 * sum(d * d);
  };
  Tensor lr = scalar(0.2, DType::f64);
  lr.requires_grad_(true);
  TrajectoryMatchingOptions o;
  o.n_steps = 3;
  Tensor L = trajectory_matching_loss(start, c, lr, quad, o);
  CHECK(L.item() == Approx(std::pow(0.8, 6)).epsilon(1e-13));
  L.backward();
  CHECK(lr.grad().item() == Approx(-6 * std::pow(0.8, 5)).epsilon(1e-12));
  o.n_steps = 0;
  CHECK(trajectory_matching_loss(start, c, lr, quad, o).item() == Approx(1.0));

  // A tiny softmax classifier on learnable synthetic data, heavy-ball inner loop (AST): the
  // gradient reaching the synthetic data matches central differences through the unroll.
  Tensor sx = randn({4, 3}, DType::f64);
  sx.requires_grad_(true);
  Tensor sy = from_vector(std::vector<int64_t>{0, 1, 0, 1}, {4});
  Tensor th0 = randn({6}, DType::f64), th1 = randn({6}, DType::f64);
  auto ce = [&](const Tensor& th, int64_t) {
    return cross_entropy(matmul(sx, reshape(th, {3, 2})), sy);
  };
  TrajectoryMatchingOptions m;
  m.n_steps = 3;
  m.momentum = 0.9;
  Tensor lr2 = scalar(0.1, DType::f64);
  trajectory_matching_loss(th0, th1, lr2, ce, m).backward();
  std::vector<double> g = sx.grad().to_vector<double>();
  for (int64_t i : {0, 5, 11}) {
    auto at = [&](double delta) {
      std::vector<double> v = sx.detach().to_vector<double>();
      v[i] += delta;
      Tensor moved = f64(v, {4, 3});
      moved.requires_grad_(true);
      auto ce_m = [&](const Tensor& th, int64_t) {
        return cross_entropy(matmul(moved, reshape(th, {3, 2})), sy);
      };
      return trajectory_matching_loss(th0, th1, lr2, ce_m, m).item();
    };
    double fd = (at(1e-6) - at(-1e-6)) / 2e-6;
    CHECK(g[i] == Approx(fd).epsilon(1e-5).margin(1e-8));
  }
  CHECK_THROWS_WITH(trajectory_matching_loss(c, c, lr, quad, o),
                    Catch::Contains("[trajectory_matching_loss] theta_start equals"));
  CHECK_THROWS_WITH(trajectory_matching_loss(start, c, f64({0.1, 0.2}, {2}), quad, o),
                    Catch::Contains("[trajectory_matching_loss] lr must hold one value"));
}

TEST_CASE("Weak Cube R-CNN losses by hand, and a step of a tiny cube head", "[unit][losses]") {
  Tensor K1 = f64({100, 0, 50, 0, 100, 50, 0, 0, 1}, {1, 3, 3});
  Tensor I = f64({1, 0, 0, 0, 1, 0, 0, 0, 1}, {1, 3, 3});
  Tensor Rz = f64({0, -1, 0, 1, 0, 0, 0, 0, 1}, {1, 3, 3});  // 90 degrees about z
  // A 2 m cube 10 m away: its nearest face (z = 9) spans 50 -+ 100 / 9 pixels.
  std::vector<double> box =
      weakcube_project_box(f64({0, 0, 10}, {1, 3}), f64({2, 2, 2}, {1, 3}), I, K1)
          .to_vector<double>();
  std::vector<double> want = {50 - 100.0 / 9, 50 - 100.0 / 9, 50 + 100.0 / 9, 50 + 100.0 / 9};
  for (int i = 0; i < 4; ++i) CHECK(box[i] == Approx(want[i]).epsilon(1e-13));
  // GIoU: inter 1, union 7, enclosing 9.
  CHECK(weakcube_giou_loss(f64({0, 0, 2, 2}, {1, 4}), f64({1, 1, 3, 3}, {1, 4})).item() ==
        Approx(1 - 1.0 / 7 + 2.0 / 9).epsilon(1e-6));
  CHECK(weakcube_giou_loss(f64({0, 0, 2, 2}, {1, 4}), f64({0, 0, 2, 2}, {1, 4})).item() ==
        Approx(0.0).margin(1e-6));
  // Pose: I against Rz has trace 1, cos 0, loss 1; the code divides by one-cube images + 1.
  Tensor R2 = concat({I, Rz}), R3 = concat({I, Rz, I});
  CHECK(weakcube_pose_loss(R2, {2}).item() == Approx(1.0));
  CHECK(weakcube_pose_loss(R3, {2, 1}).item() == Approx(0.5));
  CHECK(weakcube_pose_loss(R3, {3}).item() == Approx((1.0 + 0.0 + 1.0) / 3));
  CHECK_FALSE(weakcube_pose_loss(R2, {1, 1}).defined());
  // Normal: R's second row is the up axis.
  Tensor up = f64({0, 1, 0, 0, 1, 0}, {2, 3});
  std::vector<double> nl = weakcube_normal_loss(up, R2).to_vector<double>();
  CHECK(nl[0] == Approx(0.0).margin(1e-15));
  CHECK(nl[1] == Approx(1.0));
  CHECK_THROWS_WITH(weakcube_project_box(f64({0, 0, 0.5}, {1, 3}), f64({2, 2, 2}, {1, 3}), I, K1),
                    Catch::Contains("[weakcube_losses] a cube corner lies at or behind"));
  CHECK_THROWS_WITH(weakcube_pose_loss(R2, {3}), Catch::Contains("[weakcube_losses] R must be"));

  // A tiny cube head: features [3, 4] -> center offsets and log-dims; two images (2 + 1 cubes).
  auto head = std::make_shared<nn::Linear>(4, 6, true, DType::f64);
  Tensor feats = randn({3, 4}, DType::f64);
  Tensor K = concat({K1, K1, K1}), R = concat({I, Rz, I});
  Tensor gt = f64({40, 40, 60, 60, 30, 45, 55, 70, 45, 35, 65, 50}, {3, 4});
  Tensor normal = f64({0, 1, 0, 0, 1, 0, 0.1, 1, 0}, {3, 3});
  auto total = [&] {
    Tensor out = head->forward(feats);                                // [3, 6]
    Tensor center = narrow(out, 1, 0, 3) + f64({0, 0, 10}, {1, 3});
    Tensor dims = exp(narrow(out, 1, 3, 3));
    return weakcube_losses(center, dims, R, K, gt, normal, {2, 1}).total;
  };
  WeakCubeLosses parts = weakcube_losses(f64({0, 0, 10, 0, 0, 10, 0, 0, 10}, {3, 3}),
                                         full({3, 3}, 2.0, DType::f64), R, K, gt, normal, {2, 1});
  CHECK(parts.total.item() ==
        Approx(mean(parts.iou).item() + parts.pose.item() + mean(parts.normal).item()));
  double before = total().item();
  CHECK(after_step(head->parameters(), total, 1e-3) < before);
}
