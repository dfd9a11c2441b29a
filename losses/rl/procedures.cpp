// The rl_alignment procedures (losses/rl/procedures.h): KL-regularized reward shaping and its
// adaptive coefficient, weight soups, and the dynamic anchor's state.
// Checked (Dec 2026): kl_regularized_rewards follows TRL's classic PPOTrainer.compute_rewards /
// _kl_penalty (v0.11, the catalog's 'code (port)' entry), where the score is added at the last
// non-masked response position and 'mse' is 1/2 d^2. weight_soup (catalog confidence 'paper
// text'): SALSA's abstract and HTML (arXiv 2411.01798) confirm the reference as "weight-space
// averaging of two independent supervised fine-tuned (SFT) models"; no code was found, and the
// mixing coefficients other than 1/2 are the catalog's reading (kept as optional weights).
#include "losses/rl/procedures.h"

#include <algorithm>
#include <cmath>

#include "core/grad_mode.h"
#include "losses/rl/preference.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe::rl {

Tensor kl_regularized_rewards(const Tensor& logp, const Tensor& logp_ref, const Tensor& score,
                              const Tensor& mask, const KlRewardOptions& o) {
  const char* op = "kl_regularized_rewards";
  NoGradGuard no_grad;
  check_floating(op, "logp", logp);
  check_dim(op, "logp", logp, 2);
  check_floating(op, "logp_ref", logp_ref);
  check_same_shape(op, "logp", logp, "logp_ref", logp_ref);
  const int64_t B = logp.shape()[0], T = logp.shape()[1];
  check_floating(op, "score", score);
  check_shape(op, "score", score, {B});
  LATHE_CHECK(mask.defined(), "[", op, "] mask is required");
  Tensor m = rl_detail::token_mask(op, mask, logp, {B, T});             // [B, T]
  Tensor d = logp.detach() - logp_ref.detach();                         // [B, T]
  Tensor k;
  if (o.kl_penalty == "kl") {
    k = d;
  } else if (o.kl_penalty == "abs") {
    k = abs(d);
  } else if (o.kl_penalty == "mse") {
    k = 0.5 * d * d;
  } else if (o.kl_penalty == "full") {
    LATHE_CHECK(o.logits.defined() && o.ref_logits.defined(), "[", op,
                "] kl_penalty 'full' needs logits and ref_logits [B, T, V]");
    check_same_shape(op, "logits", o.logits, "ref_logits", o.ref_logits);
    LATHE_CHECK(o.logits.dim() == 3 && o.logits.shape()[0] == B && o.logits.shape()[1] == T,
                "[", op, "] logits must be [", B, ", ", T, ", V], got ", o.logits.shape());
    Tensor lp = log_softmax(o.logits.detach(), -1), lq = log_softmax(o.ref_logits.detach(), -1);
    k = sum(exp(lp) * (lp - lq), {2});                                  // [B, T]
  } else {
    LATHE_FAIL("[", op, "] kl_penalty must be kl | abs | mse | full, got '", o.kl_penalty, "'");
  }
  Tensor r = -o.beta * k * m;                                           // [B, T]
  if (T == 0) return r;
  Tensor last = argmax(cumsum(m, 1), 1);                                // [B] last valid index
  Tensor has_valid = cast(gt(sum(m, {1}), 0.0), r.dtype());            // [B]
  Tensor at_last = cast(one_hot(last, T), r.dtype());                  // [B, T]
  return r + at_last * unsqueeze(score.detach() * has_valid, 1);
}

void AdaptiveKlController::update(double current_kl, int64_t n_steps) {
  LATHE_CHECK(target > 0.0 && horizon > 0.0, "[AdaptiveKlController] target and horizon must "
              "be > 0, got ", target, " and ", horizon);
  double err = std::clamp(current_kl / target - 1.0, -0.2, 0.2);
  value *= 1.0 + err * static_cast<double>(n_steps) / horizon;
}

nn::StateDict weight_soup(const std::vector<nn::StateDict>& sds,
                          const std::vector<double>& weights) {
  const char* op = "weight_soup";
  LATHE_CHECK(!sds.empty(), "[", op, "] got no state dicts");
  LATHE_CHECK(weights.empty() || weights.size() == sds.size(), "[", op, "] got ",
              weights.size(), " weights for ", sds.size(), " state dicts");
  std::vector<double> w = weights;
  if (w.empty()) w.assign(sds.size(), 1.0 / static_cast<double>(sds.size()));
  for (size_t i = 1; i < sds.size(); ++i) {
    LATHE_CHECK(sds[i].size() == sds[0].size(), "[", op, "] state dict ", i, " has ",
                sds[i].size(), " keys, state dict 0 has ", sds[0].size());
    for (const auto& [key, t] : sds[0]) {
      auto it = sds[i].find(key);
      LATHE_CHECK(it != sds[i].end(), "[", op, "] key '", key, "' is missing from state dict ",
                  i);
      LATHE_CHECK(it->second.shape() == t.shape() && it->second.dtype() == t.dtype(), "[", op,
                  "] '", key, "' is ", it->second.dtype(), " ", it->second.shape(),
                  " in state dict ", i, " but ", t.dtype(), " ", t.shape(), " in state dict 0");
    }
  }
  NoGradGuard no_grad;
  nn::StateDict out;
  for (const auto& [key, t] : sds[0]) {
    if (!is_floating(t.dtype())) {
      out[key] = t.clone();
      continue;
    }
    Tensor acc = sds[0].at(key).detach() * w[0];
    for (size_t i = 1; i < sds.size(); ++i) acc = acc + sds[i].at(key).detach() * w[i];
    out[key] = acc;
  }
  return out;
}

DynamicAnchor::DynamicAnchor(nn::Module& policy, nn::Module& anchor,
                             DynamicAnchorKlOptions options)
    : policy_(policy), anchor_(anchor), options_(std::move(options)),
      step_(zeros({}, DType::f64, Device::reference())) {
  LATHE_CHECK(options_.every >= 1, "[dynamic_anchor_kl] every must be >= 1, got ",
              options_.every);
}

Tensor DynamicAnchor::loss(const Tensor& logits, const Tensor& anchor_logits,
                           const Tensor& mask) {
  DynamicAnchorKlOptions o = options_;
  o.mask = mask;
  bool refresh = step() % o.every == 0;
  Tensor state = cast(to_device(step_, logits.device()), logits.dtype());
  DynamicAnchorKlResult res = dynamic_anchor_kl(logits, anchor_logits, state, o);
  if (refresh) anchor_.load_state_dict(policy_.state_dict());
  step_ = step_ + 1.0;
  return res.loss;
}

nn::StateDict DynamicAnchor::state_dict() const { return {{"step", step_.clone()}}; }

void DynamicAnchor::load_state_dict(const nn::StateDict& state) {
  auto it = state.find("step");
  LATHE_CHECK(state.size() == 1 && it != state.end() && it->second.numel() == 1, "[",
              "dynamic_anchor_kl] DynamicAnchor::load_state_dict expects one key 'step'");
  double s = it->second.item();
  LATHE_CHECK(s >= 0 && s == std::floor(s), "[dynamic_anchor_kl] step must be a non-negative "
              "integer, got ", s);
  step_ = full({}, s, DType::f64, Device::reference());
}

}  // namespace lathe::rl
