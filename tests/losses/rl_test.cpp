// The rl_alignment family (losses/rl/): bad input names the op, hand values the runners cannot
// assert (the closed forms of DPO/IPO/SimPO/ORPO/KTO, a refresh step, a policy equal to its
// prior), and the catalog's procedures run on tiny models: kl_regularized_rewards and the
// adaptive KL coefficient, weight_soup, the SuperHF and KDRL loss parts under a few SGD steps,
// DPO raising a tiny policy's preference margin, and DynamicAnchor's refresh and resume.
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"
#include "losses/rl/procedures.h"
#include "losses/rl/rl.h"

using namespace lathe;
using Catch::Matchers::Contains;

namespace {

Tensor vec(std::vector<double> v) {
  int64_t n = static_cast<int64_t>(v.size());
  return from_vector(v, {n});
}

double softplus_d(double x) { return std::log1p(std::exp(x)); }

// Per-sequence log-probabilities sum_t log softmax(x_bt W)[y_bt] of a tiny linear policy:
// features x [B, T, F], tokens y [B, T] (int).
Tensor seq_logps(nn::Linear& policy, const Tensor& x, const Tensor& y) {
  Tensor lp = log_softmax(policy.forward(x), -1);                   // [B, T, V]
  return sum(squeeze(gather(lp, unsqueeze(y, 2), 2), {2}), {1});    // [B]
}

}  // namespace

TEST_CASE("preference losses: closed forms", "[unit][losses]") {
  Tensor pc = vec({-1.0}), pr = vec({-2.0}), rc = vec({-1.5}), rr = vec({-1.5});
  CHECK(dpo_loss(pc, pr, rc, rr).item() == Approx(softplus_d(-0.1)).epsilon(1e-14));
  DpoLossOptions ipo;
  ipo.loss_type = "ipo";
  CHECK(dpo_loss(pc, pr, rc, rr, ipo).item() == Approx(16.0).epsilon(1e-14));
  DpoLossOptions hinge;
  hinge.loss_type = "hinge";
  hinge.beta = 2.0;
  CHECK(dpo_loss(pc, pr, rc, rr, hinge).item() == 0.0);  // margin beta h = 2 >= 1
  DpoLossOptions ls;
  ls.label_smoothing = 0.5;  // both labels equally likely: symmetric in h
  CHECK(dpo_loss(pc, pr, rc, rr, ls).item() ==
        Approx(0.5 * softplus_d(-0.1) + 0.5 * softplus_d(0.1)).epsilon(1e-14));
  // SimPO: -log sigmoid(2 (1 - 0.25)).
  CHECK(simpo_loss(pc, pr).item() == Approx(softplus_d(-1.5)).epsilon(1e-14));
  // ORPO with p_w = 0.5, p_l = 0.25: log odds ratio log(1 / (1/3)) = log 3.
  Tensor aw = vec({std::log(0.5)}), al = vec({std::log(0.25)});
  double orpo = -std::log(0.5) + 0.1 * softplus_d(-std::log(3.0));
  CHECK(orpo_loss(aw, al).item() == Approx(orpo).epsilon(1e-13));
  // CPO: the reference-free DPO loss plus the NLL.
  CHECK(cpo_loss(pc, pr).item() == Approx(softplus_d(-0.1) + 1.0).epsilon(1e-14));
  // KTO: z_ref = max(mean(0.5, 1.5), 0) = 1.
  KtoLossOptions k;
  k.policy_kl_logps = vec({-1.0, -1.0});
  k.reference_kl_logps = vec({-1.5, -2.5});
  double chosen = 1.0 - 1.0 / (1.0 + std::exp(-0.1 * (0.5 - 1.0)));
  double rejected = 1.0 - 1.0 / (1.0 + std::exp(-0.1 * (1.0 - (-0.5))));
  CHECK(kto_loss(pc, pr, rc, rr, k).item() == Approx((chosen + rejected) / 2).epsilon(1e-14));
  // Only undesirable examples (an empty chosen set) is allowed.
  Tensor none = zeros({0}, DType::f64);
  CHECK(kto_loss(none, pr, none, rr).item() ==
        Approx(1.0 - 1.0 / (1.0 + std::exp(-0.1 * 0.5))).epsilon(1e-14));
}

TEST_CASE("preference losses reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor a = vec({-1.0, -2.0}), b = vec({-1.5, -0.5}), c = vec({-1.0});
  DpoLossOptions o;
  o.loss_type = "kto";
  CHECK_THROWS_WITH(dpo_loss(a, b, a, b, o), Contains("[dpo_loss] loss_type"));
  CHECK_THROWS_WITH(dpo_loss(a, c, a, b), Contains("[dpo_loss] policy_rejected_logps"));
  o = DpoLossOptions();
  o.beta = 0;
  CHECK_THROWS_WITH(dpo_loss(a, b, a, b, o), Contains("[dpo_loss] beta"));
  SimpoLossOptions s;
  s.loss_type = "ipo";
  CHECK_THROWS_WITH(simpo_loss(a, b, s), Contains("[simpo_loss] loss_type"));
  CHECK_THROWS_WITH(orpo_loss(vec({-1.0, 0.0}), b), Contains("[orpo_loss] policy_chosen_logps"));
  CpoLossOptions cp;
  cp.chosen_nll = vec({1.0, 2.0, 3.0});
  CHECK_THROWS_WITH(cpo_loss(a, b, cp), Contains("[cpo_loss] chosen_nll"));
  KtoLossOptions k;
  k.policy_kl_logps = a;
  CHECK_THROWS_WITH(kto_loss(a, b, a, b, k), Contains("[kto_loss] give both"));
  CHECK_THROWS_WITH(dpo_loss(randn({2, 2}, DType::f64), b, a, b), Contains("[dpo_loss]"));
}

TEST_CASE("rl_alignment ops reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor lp = randn({2, 5}, DType::f64), r = randn({2, 5}, DType::f64);
  CHECK_THROWS_WITH(pcpg_loss(lp, r, vec({0.5, 0.5})), Contains("[pcpg_loss] kernel width"));
  CHECK_THROWS_WITH(pcpg_loss(lp, randn({2, 4}, DType::f64), vec({1.0})),
                    Contains("[pcpg_loss]"));
  CHECK_THROWS_WITH(martingale_loss(lp, r, randn({2}, DType::f64)),
                    Contains("[martingale_loss] dt must be > 0"));
  MartingaleLossOptions m;
  m.dt = 0.1;
  CHECK_THROWS_WITH(martingale_loss(lp, r, randn({3}, DType::f64), m),
                    Contains("[martingale_loss] h_T"));
  Tensor z = randn({2, 3, 4}, DType::f64);
  DynamicAnchorKlOptions d;
  d.every = 0;
  CHECK_THROWS_WITH(dynamic_anchor_kl(z, z, scalar(0.0, DType::f64), d),
                    Contains("[dynamic_anchor_kl] every"));
  CHECK_THROWS_WITH(dynamic_anchor_kl(z, z, scalar(-1.0, DType::f64)),
                    Contains("[dynamic_anchor_kl] step"));
  CHECK_THROWS_WITH(dynamic_anchor_kl(z, z, scalar(1.5, DType::f64)),
                    Contains("[dynamic_anchor_kl] step"));
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2, 4, 0, 1}, {2, 3});
  CHECK_THROWS_WITH(superhf_loss(z, z, y), Contains("[superhf_loss] labels must lie"));
  CHECK_THROWS_WITH(superhf_loss(z, z, cast(y, DType::f64)),
                    Contains("[superhf_loss] labels must be integer"));
  Tensor g = from_vector(std::vector<int64_t>{0, 1}, {2});
  KdrlObjectiveOptions k;
  k.k = "k1";
  CHECK_THROWS_WITH(kdrl_objective(lp, lp, lp, vec({1.0, 0.0}), g, k),
                    Contains("[kdrl_objective] k must"));
  CHECK_THROWS_WITH(kdrl_objective(lp, lp, lp, vec({1.0, 0.0}), cast(g, DType::f64)),
                    Contains("[kdrl_objective] group"));
}

TEST_CASE("rl_alignment ops: hand values", "[unit][losses]") {
  // pcpg with the identity kernel is REINFORCE: -mean_b sum_t r_bt log pi_bt.
  Tensor lp = from_vector(std::vector<double>{-1.0, -2.0, -0.5, -0.1}, {2, 2});
  Tensor r = from_vector(std::vector<double>{1.0, 2.0, -1.0, 3.0}, {2, 2});
  CHECK(pcpg_loss(lp, r, vec({1.0})).item() == Approx(-(-5.0 + 0.2) / 2).epsilon(1e-14));
  // martingale: one trajectory, K = 2, dt 0.5: G = (h + 0.5 (r0 + r1), h + 0.5 r1).
  MartingaleLossOptions m;
  m.dt = 0.5;
  Tensor J = from_vector(std::vector<double>{1.0, 0.0}, {1, 2});
  Tensor rr = from_vector(std::vector<double>{2.0, 4.0}, {1, 2});
  double g0 = 1.0 + 3.0 - 1.0, g1 = 1.0 + 2.0 - 0.0;
  CHECK(martingale_loss(J, rr, vec({1.0}), m).item() ==
        Approx(0.25 * (g0 * g0 + g1 * g1)).epsilon(1e-14));
  // dynamic anchor: a refresh step gives 0 with zero gradients, whatever the anchor.
  Tensor z = randn({2, 3, 4}, DType::f64).requires_grad_();
  DynamicAnchorKlOptions d;
  d.every = 4;
  DynamicAnchorKlResult res = dynamic_anchor_kl(z, randn({2, 3, 4}, DType::f64),
                                                scalar(8.0, DType::f64), d);
  CHECK(res.loss.item() == 0.0);
  CHECK(res.step.item() == 9.0);
  res.loss.backward();
  CHECK(max(abs(z.grad())).item() == 0.0);
  // superhf: a policy equal to its prior is the plain token-mean CE.
  Tensor logits = randn({2, 3, 4}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2, 3, 0, 1}, {2, 3});
  Tensor ce = cross_entropy(reshape(logits, {6, 4}), reshape(y, {6}));
  CHECK(superhf_loss(logits, logits, y).item() == Approx(ce.item()).epsilon(1e-13));
  // kdrl: on-policy (ratio 1), teacher = policy, equal lengths: -mean(A) = 0.
  Tensor l = randn({4, 3}, DType::f64);
  Tensor grp = from_vector(std::vector<int64_t>{0, 0, 1, 1}, {4});
  CHECK(std::fabs(kdrl_objective(l, l, l, vec({1.0, 0.0, 0.3, 0.9}), grp).item()) < 1e-12);
}

TEST_CASE("kl_regularized_rewards and the adaptive KL coefficient", "[unit][losses]") {
  Tensor logp = from_vector(std::vector<double>{-1.0, -2.0, -0.5, -1.0, -1.0, -1.0}, {2, 3});
  Tensor ref = from_vector(std::vector<double>{-1.5, -1.0, -0.5, -2.0, -1.0, -1.0}, {2, 3});
  Tensor score = vec({2.0, -1.0});
  Tensor mask = from_vector(std::vector<bool>{true, true, false, false, false, false}, {2, 3});
  rl::KlRewardOptions o;
  o.beta = 0.5;
  std::vector<double> got = rl::kl_regularized_rewards(logp, ref, score, mask, o)
                                .to_vector<double>();
  // Row 0: -0.5 (0.5, -1) on the valid tokens, the score at the last valid one (t = 1).
  // Row 1 has no valid token: no penalty, no score.
  CHECK(got == std::vector<double>{-0.25, 0.5 + 2.0, 0.0, 0.0, 0.0, 0.0});
  o.kl_penalty = "abs";
  got = rl::kl_regularized_rewards(logp, ref, score, mask, o).to_vector<double>();
  CHECK(got[1] == -0.5 + 2.0);
  o.kl_penalty = "mse";
  got = rl::kl_regularized_rewards(logp, ref, score, mask, o).to_vector<double>();
  CHECK(got[0] == -0.5 * 0.5 * 0.25);
  o.kl_penalty = "full";
  o.logits = randn({2, 3, 5}, DType::f64);
  o.ref_logits = o.logits;
  got = rl::kl_regularized_rewards(logp, ref, score, mask, o).to_vector<double>();
  CHECK(got == std::vector<double>{0.0, 2.0, 0.0, 0.0, 0.0, 0.0});
  o.kl_penalty = "k3";
  CHECK_THROWS_WITH(rl::kl_regularized_rewards(logp, ref, score, mask, o),
                    Contains("[kl_regularized_rewards] kl_penalty"));

  rl::AdaptiveKlController c;  // beta 0.2, target 6, horizon 10000
  c.update(12.0, 100);         // KL twice the target: the error clips at +0.2
  CHECK(c.value == Approx(0.2 * (1 + 0.2 * 100 / 10000.0)).epsilon(1e-15));
  c.update(3.0, 100);          // half the target: clipped at -0.2
  CHECK(c.value == Approx(0.2 * 1.002 * 0.998).epsilon(1e-15));
}

TEST_CASE("weight_soup averages two fine-tuned models", "[unit][losses]") {
  manual_seed(11);
  nn::Linear a(3, 2, true, DType::f64), b(3, 2, true, DType::f64), soup(3, 2, true, DType::f64);
  nn::StateDict sa = a.state_dict(), sb = b.state_dict();
  soup.load_state_dict(rl::weight_soup({sa, sb}));
  std::vector<double> wa = sa.at("weight").to_vector<double>();
  std::vector<double> wb = sb.at("weight").to_vector<double>();
  std::vector<double> ws = soup.state_dict().at("weight").to_vector<double>();
  for (size_t i = 0; i < ws.size(); ++i) CHECK(ws[i] == wa[i] * 0.5 + wb[i] * 0.5);
  // Other mixing coefficients; an integer buffer is copied from the first dict.
  nn::StateDict xa{{"w", vec({1.0, 2.0})}, {"n", from_vector(std::vector<int64_t>{3}, {1})}};
  nn::StateDict xb{{"w", vec({3.0, 6.0})}, {"n", from_vector(std::vector<int64_t>{5}, {1})}};
  nn::StateDict mixed = rl::weight_soup({xa, xb}, {0.25, 0.75});
  CHECK(mixed.at("w").to_vector<double>() == std::vector<double>{2.5, 5.0});
  CHECK(mixed.at("n").to_vector<int64_t>() == std::vector<int64_t>{3});
  nn::StateDict xc{{"w", vec({1.0, 2.0})}, {"m", from_vector(std::vector<int64_t>{3}, {1})}};
  CHECK_THROWS_WITH(rl::weight_soup({xa, xc}), Contains("[weight_soup] key 'n'"));
  CHECK_THROWS_WITH(rl::weight_soup({xa, xb}, {1.0}), Contains("[weight_soup] got 1 weights"));
  nn::StateDict xd{{"w", vec({1.0, 2.0, 3.0})}, {"n", from_vector(std::vector<int64_t>{3}, {1})}};
  CHECK_THROWS_WITH(rl::weight_soup({xa, xd}), Contains("[weight_soup] 'w'"));
}

TEST_CASE("DPO, SuperHF and KDRL train a tiny policy", "[unit][losses]") {
  // A linear policy over 5 tokens from 3 features; two preference pairs of 4 tokens.
  manual_seed(5);
  nn::Linear policy(3, 5, true, DType::f64);
  nn::Linear reference(3, 5, true, DType::f64);
  reference.load_state_dict(policy.state_dict());
  Tensor x = randn({2, 4, 3}, DType::f64);
  Tensor yw = from_vector(std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2}, {2, 4});
  Tensor yl = from_vector(std::vector<int64_t>{4, 4, 3, 3, 2, 2, 1, 1}, {2, 4});
  Tensor rw, rl_;
  {
    NoGradGuard no_grad;
    rw = seq_logps(reference, x, yw), rl_ = seq_logps(reference, x, yl);
  }
  optim::SGD sgd(policy.parameters(), 0.5);
  auto margin = [&] {
    NoGradGuard no_grad;
    return sum(seq_logps(policy, x, yw) - seq_logps(policy, x, yl)).item();
  };
  double before = margin(), first = 0, last = 0;
  for (int s = 0; s < 10; ++s) {
    sgd.zero_grad();
    Tensor loss = dpo_loss(seq_logps(policy, x, yw), seq_logps(policy, x, yl), rw, rl_);
    if (s == 0) first = loss.item();
    last = loss.item();
    loss.backward();
    sgd.step();
  }
  CHECK(first == Approx(std::log(2.0)).epsilon(1e-12));  // policy == reference: h = 0
  CHECK(last < first);
  CHECK(margin() > before);

  // SuperHF: fine-tuning on the kept completions lowers the loss; the prior stays fixed.
  nn::Linear prior(3, 5, true, DType::f64);
  prior.load_state_dict(policy.state_dict());
  Tensor prior_logits;
  {
    NoGradGuard no_grad;
    prior_logits = prior.forward(x);
  }
  double s0 = 0, s1 = 0;
  for (int s = 0; s < 10; ++s) {
    sgd.zero_grad();
    Tensor loss = superhf_loss(policy.forward(x), prior_logits, yw);
    (s == 0 ? s0 : s1) = loss.item();
    loss.backward();
    sgd.step();
  }
  CHECK(s1 < s0);

  // KDRL: rewards favour the first response of each group; the objective's step raises it.
  Tensor y = from_vector(std::vector<int64_t>{0, 1, 2, 3, 4, 0, 1, 2}, {2, 4});
  Tensor old_logp, teacher;
  auto token_logp = [&](nn::Linear& m) {
    Tensor lp = log_softmax(m.forward(x), -1);                      // [2, 4, 5]
    return squeeze(gather(lp, unsqueeze(y, 2), 2), {2});           // [2, 4]
  };
  {
    NoGradGuard no_grad;
    old_logp = token_logp(policy);
    teacher = token_logp(reference);
  }
  Tensor rewards = vec({1.0, 0.0}), grp = from_vector(std::vector<int64_t>{0, 0}, {2});
  sgd.zero_grad();
  kdrl_objective(token_logp(policy), old_logp, teacher, rewards, grp).backward();
  sgd.step();
  NoGradGuard no_grad;
  Tensor now = sum(token_logp(policy), {1}) - sum(old_logp, {1});   // [2]
  std::vector<double> change = now.to_vector<double>();
  CHECK(change[0] > 0);   // positive advantage: more likely
  CHECK(change[1] < 0);   // negative advantage: less likely
}

TEST_CASE("DynamicAnchor resets the anchor every N steps and resumes bit for bit",
          "[unit][losses]") {
  manual_seed(9);
  nn::Linear policy(3, 4, true, DType::f64), anchor(3, 4, true, DType::f64);
  Tensor x = randn({2, 3, 3}, DType::f64);
  DynamicAnchorKlOptions o;
  o.every = 3;
  o.beta = 1.0;
  Tensor push = vec({1.0, -1.0, 0.5, 2.0});  // [V]
  // Steps [from, to) of a run: the KL to the anchor plus a push that differs per token v (so
  // that the policy's softmax moves away from the anchor); returns the KL losses.
  auto run = [&](nn::Linear& pol, nn::Linear& anc, rl::DynamicAnchor& da, optim::SGD& sgd,
                 int from, int to) {
    std::vector<double> losses;
    for (int s = from; s < to; ++s) {
      sgd.zero_grad();
      Tensor anchor_logits;
      {
        NoGradGuard no_grad;
        anchor_logits = anc.forward(x);
      }
      Tensor loss = da.loss(pol.forward(x), anchor_logits);
      losses.push_back(loss.item());
      (loss + sum(pol.forward(x) * push)).backward();
      sgd.step();
    }
    return losses;
  };
  nn::StateDict policy0 = policy.state_dict(), anchor0 = anchor.state_dict();
  for (auto* sd : {&policy0, &anchor0})
    for (auto& [k, t] : *sd) t = t.clone();
  rl::DynamicAnchor da(policy, anchor, o);
  optim::SGD sgd(policy.parameters(), 0.3);
  std::vector<double> losses = run(policy, anchor, da, sgd, 0, 5);
  CHECK(losses[0] == 0.0);  // step 0 refreshes
  CHECK(losses[1] > 0.0);
  CHECK(losses[3] == 0.0);  // step 3 refreshes
  CHECK(losses[4] > 0.0);
  CHECK(da.step() == 5);

  // The same run stopped after 2 steps, its policy, anchor and step saved and resumed in new
  // objects, gives the same losses bit for bit.
  nn::Linear p1(3, 4, true, DType::f64), a1(3, 4, true, DType::f64);
  p1.load_state_dict(policy0);
  a1.load_state_dict(anchor0);
  rl::DynamicAnchor da1(p1, a1, o);
  optim::SGD sgd1(p1.parameters(), 0.3);
  std::vector<double> first = run(p1, a1, da1, sgd1, 0, 2);
  nn::Linear p2(3, 4, true, DType::f64), a2(3, 4, true, DType::f64);
  p2.load_state_dict(p1.state_dict());
  a2.load_state_dict(a1.state_dict());
  rl::DynamicAnchor da2(p2, a2, o);
  da2.load_state_dict(da1.state_dict());
  CHECK(da2.step() == 2);
  optim::SGD sgd2(p2.parameters(), 0.3);
  std::vector<double> rest = run(p2, a2, da2, sgd2, 2, 5);
  first.insert(first.end(), rest.begin(), rest.end());
  CHECK(first == losses);
  CHECK_THROWS_WITH(da2.load_state_dict({}), Contains("[dynamic_anchor_kl]"));
}
