// The optimizers of models/optim/ against tools/oracle/optim.py
// (tests/fixtures/optim/<opt>/<case>/): torch.optim.SGD/Adam/AdamW and the reference AdamP/SGDP
// steps (checked there against the official clovaai/AdamP code), over 20 fixed gradients with
// skipped steps, an all-zero gradient and scale-invariant weights. Parameters and every state
// entry are compared after the recorded steps; the state-dict round trip (through .npy files),
// its errors, the constructor checks and a small training loop are tested here too.

#include <algorithm>
#include <cstdio>
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "lathe.h"
#include "models/optim/optim.h"
#include "tests/support/fixture_group.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::optim;
using lathe::compare;
using Catch::Matchers::Contains;

namespace {

std::vector<lathe::test::FixtureCase> group_cases(const std::string& group) {
  return lathe::test::load_fixture_group(std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/optim/" +
                                         group + ".safetensors");
}

struct Fixture {
  std::string dir;  // the case's name, for messages
  nlohmann::json meta;
  lathe::test::FixtureCase fixture;

  explicit Fixture(const lathe::test::FixtureCase& c) : dir(c.name), meta(c.meta), fixture(c) {}
  Tensor array(const std::string& stem) const { return fixture.at(stem).clone(); }
  std::string optimizer() const { return meta["optimizer"].get<std::string>(); }
  size_t num_params() const { return meta["params"].size(); }
  double option(const char* name) const { return meta["options"][name].get<double>(); }
  bool flag(const char* name) const { return meta["options"][name].get<bool>(); }
  std::vector<std::string> state_keys() const {
    return meta["state"].get<std::vector<std::string>>();
  }
  std::vector<int> recorded() const { return meta["recorded"].get<std::vector<int>>(); }
};

std::unique_ptr<Optimizer> make_optimizer(const Fixture& f, std::vector<Tensor> params) {
  std::string name = f.optimizer();
  double lr = f.option("lr");
  if (name == "sgd") {
    SGDOptions o;
    o.momentum = f.option("momentum");
    o.dampening = f.option("dampening");
    o.weight_decay = f.option("weight_decay");
    o.nesterov = f.flag("nesterov");
    return std::make_unique<SGD>(std::move(params), lr, o);
  }
  if (name == "adam") {
    AdamOptions o;
    o.beta1 = f.option("beta1");
    o.beta2 = f.option("beta2");
    o.eps = f.option("eps");
    o.weight_decay = f.option("weight_decay");
    o.amsgrad = f.flag("amsgrad");
    return std::make_unique<Adam>(std::move(params), lr, o);
  }
  if (name == "adamw") {
    AdamWOptions o;
    o.beta1 = f.option("beta1");
    o.beta2 = f.option("beta2");
    o.eps = f.option("eps");
    o.weight_decay = f.option("weight_decay");
    o.amsgrad = f.flag("amsgrad");
    return std::make_unique<AdamW>(std::move(params), lr, o);
  }
  if (name == "adamp") {
    AdamPOptions o;
    o.beta1 = f.option("beta1");
    o.beta2 = f.option("beta2");
    o.eps = f.option("eps");
    o.weight_decay = f.option("weight_decay");
    o.delta = f.option("delta");
    o.wd_ratio = f.option("wd_ratio");
    o.nesterov = f.flag("nesterov");
    return std::make_unique<AdamP>(std::move(params), lr, o);
  }
  REQUIRE(name == "sgdp");
  SGDPOptions o;
  o.momentum = f.option("momentum");
  o.dampening = f.option("dampening");
  o.weight_decay = f.option("weight_decay");
  o.nesterov = f.flag("nesterov");
  o.eps = f.option("eps");
  o.delta = f.option("delta");
  o.wd_ratio = f.option("wd_ratio");
  return std::make_unique<SGDP>(std::move(params), lr, o);
}

// Fresh leaf parameters holding the fixture's initial values.
std::vector<Tensor> initial_params(const Fixture& f, DType dtype) {
  std::vector<Tensor> params;
  for (size_t i = 0; i < f.num_params(); ++i) {
    Tensor p = f.array("init." + std::to_string(i)).to(dtype).to(default_device());
    p.requires_grad_();
    params.push_back(p);
  }
  return params;
}

// The fixture's gradients of step s (1-based); a parameter without one gets none.
struct Gradients {
  std::vector<Tensor> grads, has;
  explicit Gradients(const Fixture& f) {
    for (size_t i = 0; i < f.num_params(); ++i) {
      grads.push_back(f.array("grad." + std::to_string(i)));
      has.push_back(f.array("has_grad." + std::to_string(i)));
    }
  }
  void set(std::vector<Tensor>& params, int s) const {
    for (size_t i = 0; i < params.size(); ++i) {
      if (has[i].select(0, s - 1).item() != 0)
        params[i].set_grad(grads[i].select(0, s - 1).to(params[i].dtype()).to(params[i].device()));
      else
        params[i].zero_grad();
    }
  }
};

std::set<std::string> keys(const StateDict& sd) {
  std::set<std::string> out;
  for (const auto& [k, t] : sd) out.insert(k);
  return out;
}

// Parameters and state after recorded step number k (index into meta["recorded"]).
void check_recorded(const Fixture& f, const std::vector<Tensor>& params, const Optimizer& opt,
                    size_t k, double atol, double rtol) {
  int step = f.recorded()[k];
  StateDict sd = opt.state_dict();
  std::set<std::string> want{"lr"};
  for (size_t i = 0; i < params.size(); ++i)
    for (const std::string& key : f.state_keys())
      want.insert("state." + std::to_string(i) + "." + key);
  CHECK(keys(sd) == want);
  for (size_t i = 0; i < params.size(); ++i) {
    INFO("parameter " << i << " (" << f.meta["params"][i] << ") after step " << step);
    CHECK(compare(params[i], f.array("param." + std::to_string(i)).select(0, k), atol, rtol) ==
          "");
    for (const std::string& key : f.state_keys()) {
      std::string name = "state." + std::to_string(i) + "." + key;
      INFO(name);
      if (!sd.count(name)) continue;
      Tensor want_t = f.array(name).select(0, k);
      if (key == "step") {
        CHECK(sd.at(name).dtype() == DType::i64);
        CHECK(sd.at(name).item() == want_t.item());
      } else {
        CHECK(compare(sd.at(name), want_t, atol, rtol) == "");
      }
    }
  }
  CHECK(sd.at("lr").item() == f.option("lr"));
}

void run_fixture(const Fixture& f, DType dtype, double atol, double rtol) {
  std::vector<Tensor> params = initial_params(f, dtype);
  auto opt = make_optimizer(f, params);
  Gradients grads(f);
  std::vector<int> recorded = f.recorded();
  int steps = f.meta["steps"].get<int>();
  for (int s = 1; s <= steps; ++s) {
    grads.set(params, s);
    opt->step();
    auto at = std::find(recorded.begin(), recorded.end(), s);
    if (at != recorded.end()) check_recorded(f, params, *opt, at - recorded.begin(), atol, rtol);
  }
}

std::vector<lathe::test::FixtureCase> all_cases() {
  std::vector<lathe::test::FixtureCase> cases;
  for (const char* group : {"sgd", "adam", "adamw", "adamp", "sgdp"}) {
    auto g = group_cases(group);
    REQUIRE(!g.empty());
    cases.insert(cases.end(), g.begin(), g.end());
  }
  return cases;
}

// Each entry saved as .npy and loaded back on the default device, as a checkpoint would be.
StateDict through_files(const StateDict& sd, const std::string& tag) {
  StateDict out;
  for (const auto& [key, t] : sd) {
    std::string path = std::string(LATHE_BINARY_DIR) + "/optim_test_" + tag + "_" + key + ".npy";
    save_npy(path, t);
    out[key] = load_npy(path);
    std::remove(path.c_str());
    REQUIRE(out[key].dtype() == t.dtype());
    REQUIRE(out[key].shape() == t.shape());
  }
  return out;
}

Tensor param(Shape shape, uint64_t seed) {
  Generator gen(seed);
  Tensor p = randn(shape, DType::f64, default_device(), &gen);
  p.requires_grad_();
  return p;
}

}  // namespace

TEST_CASE("optimizers match PyTorch step by step in f64", "[unit][optim]") {
  for (const lathe::test::FixtureCase& fc : all_cases()) {
    Fixture f(fc);
    INFO(f.dir << ": " << f.meta["note"].get<std::string>());
    run_fixture(f, DType::f64, f.meta["atol"].get<double>(), f.meta["rtol"].get<double>());
  }
}

TEST_CASE("optimizers match PyTorch in f32 within f32 rounding", "[unit][optim]") {
  for (const lathe::test::FixtureCase& fc : all_cases()) {
    Fixture f(fc);
    INFO(f.dir << " in f32");
    run_fixture(f, DType::f32, 2e-5, 2e-4);
  }
}

TEST_CASE("an optimizer state dict restored mid-run continues bit-identically", "[unit][optim]") {
  const int split = 7;  // after the skipped steps (3, 4) and the all-zero gradient (6)
  for (const lathe::test::FixtureCase& fc : all_cases()) {
    Fixture f(fc);
    INFO(f.dir);
    Gradients grads(f);
    std::vector<Tensor> pa = initial_params(f, DType::f64);
    auto a = make_optimizer(f, pa);
    for (int s = 1; s <= split; ++s) {
      grads.set(pa, s);
      a->step();
    }
    StateDict saved = a->state_dict();
    // A trainer's checkpoint: every entry through a file and back (0-d i64 and f64 included).
    StateDict from_disk = through_files(saved, f.optimizer());

    std::vector<Tensor> pb;  // a second model: the same values, new tensors
    for (const Tensor& p : pa) {
      Tensor q = p.detach().clone();
      q.requires_grad_();
      pb.push_back(q);
    }
    auto b = make_optimizer(f, pb);
    b->load_state_dict(from_disk);
    REQUIRE(keys(b->state_dict()) == keys(saved));
    for (const auto& [k, t] : b->state_dict()) {
      INFO(k);
      CHECK(compare(t, saved.at(k), 0, 0) == "");
    }

    int steps = f.meta["steps"].get<int>();
    for (int s = split + 1; s <= steps; ++s) {
      grads.set(pa, s);
      grads.set(pb, s);
      a->step();
      b->step();
      for (size_t i = 0; i < pa.size(); ++i) {
        INFO("parameter " << i << " at step " << s);
        CHECK(compare(pb[i], pa[i], 0, 0) == "");
      }
    }
    StateDict sa = a->state_dict(), sb = b->state_dict();
    REQUIRE(keys(sa) == keys(sb));
    for (const auto& [k, t] : sa) {
      INFO(k << " at the end");
      CHECK(compare(sb.at(k), t, 0, 0) == "");
    }
    check_recorded(f, pb, *b, f.recorded().size() - 1, f.meta["atol"].get<double>(),
                   f.meta["rtol"].get<double>());
    // The dict saved at the split is a snapshot: thirteen more steps did not change it.
    std::vector<Tensor> again = initial_params(f, DType::f64);
    auto c = make_optimizer(f, again);
    for (int s = 1; s <= split; ++s) {
      grads.set(again, s);
      c->step();
    }
    for (const auto& [k, t] : c->state_dict()) {
      INFO(k << " of the saved snapshot");
      CHECK(compare(saved.at(k), t, 0, 0) == "");
    }
  }
}

TEST_CASE("optimizers update parameter handles held by a module", "[unit][optim]") {
  nn::Linear layer(3, 2, true, DType::f64);
  Adam opt(layer.parameters(), 0.1);
  Tensor before = layer.weight.detach().clone();
  Tensor x = ones({4, 3}, DType::f64);
  opt.zero_grad();
  sum(layer.forward(x)).backward();
  opt.step();
  // The layer's members are the optimizer's parameters: they moved by lr * sign(grad) on the
  // first Adam step (m / sqrt(v) = sign(g) after bias correction, up to eps).
  CHECK(layer.weight.impl() == opt.params()[0].impl());
  CHECK(compare(layer.weight, before - 0.1, 1e-8, 0) == "");
  CHECK(layer.weight.requires_grad());
  CHECK(layer.weight.is_leaf());
  // The updated parameters take part in the next forward and backward as usual.
  opt.zero_grad();
  CHECK_FALSE(layer.weight.grad().defined());
  sum(layer.forward(x)).backward();
  CHECK(layer.weight.grad().defined());
}

TEST_CASE("the README training loop fits a least-squares problem", "[unit][optim]") {
  // models/README.md's loop: AdamW, a cosine schedule with warmup, gradient clipping.
  Generator gen(11);
  Tensor x = randn({64, 3}, DType::f64, default_device(), &gen);                       // [N, 3]
  Tensor w_true = from_vector(std::vector<double>{1.5, -2.0, 0.5}, {3, 1}).to(default_device());
  Tensor y = matmul(x, w_true) + 0.25;                                                 // [N, 1]
  nn::Linear model(3, 1, true, DType::f64);
  AdamWOptions o;
  o.weight_decay = 0.0;
  AdamW opt(model.parameters(), 0.1, o);
  CosineWarmupLR sched(opt, 10, 300);
  auto loss = [&] { return mean((model.forward(x) - y) * (model.forward(x) - y)); };
  double first = loss().item();
  for (int s = 0; s < 300; ++s) {
    opt.zero_grad();
    loss().backward();
    clip_grad_norm(model.parameters(), 1.0);
    opt.step();
    sched.step();
  }
  CHECK(opt.lr() == 0.0);  // the schedule ran to its end
  CHECK(loss().item() < 1e-6 * first);
  CHECK(compare(model.weight, w_true.reshape({1, 3}), 1e-3, 0) == "");
  CHECK(compare(model.bias, from_vector(std::vector<double>{0.25}, {1}), 1e-3, 0) == "");
}

TEST_CASE("parameters without a gradient are skipped and keep no state", "[unit][optim]") {
  Tensor a = param({2, 3}, 1), b = param({3}, 2);
  Tensor b0 = b.detach().clone();
  SGD opt({a, b}, 0.5, SGDOptions{0.9});
  a.set_grad(ones({2, 3}, DType::f64));
  opt.step();
  CHECK(compare(b, b0, 0, 0) == "");
  CHECK(keys(opt.state_dict()) == std::set<std::string>{"lr", "state.0.momentum_buffer"});
  // Adam's per-parameter step counters diverge when one parameter skips steps.
  Adam adam({a, b}, 0.1);
  adam.step();  // a has a gradient, b none
  b.set_grad(ones({3}, DType::f64));
  adam.step();
  StateDict sd = adam.state_dict();
  CHECK(sd.at("state.0.step").item() == 2);
  CHECK(sd.at("state.1.step").item() == 1);
  // Without momentum, SGD keeps no state at all.
  SGD plain({a, b}, 0.1);
  plain.step();
  CHECK(keys(plain.state_dict()) == std::set<std::string>{"lr"});
}

TEST_CASE("AdamP and SGDP never project a 1-D parameter, whatever its gradient",
          "[unit][optim]") {
  // A gradient orthogonal to p would trigger the projection on a 2-D weight; on a 1-D
  // parameter the step is plain AdamW / SGD with decoupled decay (factor 1, not wd_ratio).
  Tensor p = from_vector(std::vector<double>{3.0, 4.0}, {2});
  p.requires_grad_();
  Tensor g = from_vector(std::vector<double>{-4.0, 3.0}, {2});
  SGDPOptions o;
  o.weight_decay = 0.1;
  SGDP sgdp({p}, 0.5, o);
  p.set_grad(g);
  sgdp.step();
  // p * (1 - 0.5 * 0.1) - 0.5 * g
  CHECK(compare(p, from_vector(std::vector<double>{2.85 + 2.0, 3.8 - 1.5}, {2}), 1e-15, 0) == "");

  Tensor w = from_vector(std::vector<double>{3.0, 4.0}, {1, 2});  // the same numbers in 2-D
  w.requires_grad_();
  SGDP sgdp2({w}, 0.5, o);
  w.set_grad(g.reshape({1, 2}));
  sgdp2.step();
  // projected: the update is radial-free (g is already orthogonal, so unchanged) but the decay
  // uses wd_ratio: w * (1 - 0.5 * 0.1 * 0.1) - 0.5 * g
  CHECK(compare(w, from_vector(std::vector<double>{3 * 0.995 + 2.0, 4 * 0.995 - 1.5}, {1, 2}),
                1e-15, 0) == "");
}

TEST_CASE("optimizer state dicts: key scheme and strict loading", "[unit][optim]") {
  Tensor a = param({4, 3}, 3), b = param({3}, 4);
  AdamOptions ams;
  ams.amsgrad = true;
  Adam opt({a, b}, 0.01, ams);
  a.set_grad(ones({4, 3}, DType::f64));
  b.set_grad(ones({3}, DType::f64));
  opt.step();
  StateDict good = opt.state_dict();
  CHECK(keys(good) == std::set<std::string>{"lr", "state.0.step", "state.0.exp_avg",
                                            "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                                            "state.1.step", "state.1.exp_avg",
                                            "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"});
  CHECK(good.at("lr").dtype() == DType::f64);
  CHECK(good.at("lr").dim() == 0);
  CHECK(good.at("state.0.step").dtype() == DType::i64);
  CHECK(good.at("state.0.exp_avg").shape() == Shape{4, 3});

  auto fails = [&](StateDict sd, const std::string& message) {
    INFO(message);
    CHECK_THROWS_WITH(opt.load_state_dict(sd), Contains(message));
  };
  StateDict sd = good;
  sd["state.2.exp_avg"] = zeros({4, 3}, DType::f64);
  fails(sd, "[Adam] load_state_dict: unexpected key 'state.2.exp_avg'");
  sd = good;
  sd["state.0.momentum_buffer"] = zeros({4, 3}, DType::f64);
  fails(sd, "unexpected key 'state.0.momentum_buffer'");
  sd = good;
  sd["state.01.exp_avg"] = zeros({4, 3}, DType::f64);
  fails(sd, "unexpected key 'state.01.exp_avg'");
  sd = good;
  sd["momentum"] = scalar(0.9, DType::f64);
  fails(sd, "unexpected key 'momentum'");
  sd = good;
  sd.erase("lr");
  fails(sd, "[Adam] load_state_dict: missing key 'lr'");
  sd = good;
  sd.erase("state.1.exp_avg_sq");
  fails(sd, "missing key 'state.1.exp_avg_sq'");
  sd = good;
  sd["state.0.exp_avg"] = zeros({3}, DType::f64);
  fails(sd, "'state.0.exp_avg' has shape [3], parameter 0 has shape [4, 3]");
  sd = good;
  sd["state.0.step"] = scalar(2.5, DType::f64);
  fails(sd, "'state.0.step' must be one non-negative integer");
  sd = good;
  sd["state.0.step"] = scalar(-1, DType::i64);
  fails(sd, "'state.0.step' must be one non-negative integer");
  sd = good;
  sd["lr"] = scalar(-1, DType::f64);
  fails(sd, "'lr' must be finite and >= 0");
  sd = good;
  sd["state.0.exp_avg"] = zeros({4, 3}, DType::i64);
  fails(sd, "'state.0.exp_avg' must be floating");

  // A dict without max_exp_avg_sq (plain Adam's) does not load into AMSGrad.
  Adam plain({a, b}, 0.01);
  plain.step();
  fails(plain.state_dict(), "missing key 'state.0.max_exp_avg_sq'");
  // Nothing changed through the failed loads.
  for (const auto& [k, t] : opt.state_dict()) {
    INFO(k);
    CHECK(compare(t, good.at(k), 0, 0) == "");
  }
  // A parameter without state entries is fresh; lr comes from the dict; f32 buffers convert.
  sd = good;
  for (const char* k : {"state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq",
                        "state.1.max_exp_avg_sq"})
    sd.erase(k);
  sd["lr"] = scalar(0.5, DType::f32, Device::reference());
  sd["state.0.exp_avg"] = good.at("state.0.exp_avg").to(DType::f32);
  opt.load_state_dict(sd);
  CHECK(opt.lr() == 0.5);
  StateDict now = opt.state_dict();
  CHECK(keys(now).count("state.1.step") == 0);
  CHECK(now.at("state.0.exp_avg").dtype() == DType::f64);
  // The loaded buffers are copies: stepping does not write into the dict they came from.
  Tensor held = sd.at("state.0.exp_avg_sq").clone();
  opt.step();
  CHECK(compare(sd.at("state.0.exp_avg_sq"), held, 0, 0) == "");
}

TEST_CASE("optimizer options are checked and errors name the class", "[unit][optim]") {
  Tensor p = param({2, 2}, 5);
  CHECK_THROWS_WITH(SGD({p}, -1), "[SGD] lr must be >= 0, got -1");
  CHECK_THROWS_WITH(SGD({p}, 0.1, SGDOptions{-0.5}), "[SGD] momentum must be >= 0, got -0.5");
  CHECK_THROWS_WITH(SGD({p}, 0.1, SGDOptions{0.0, 0.0, 0.0, true}),
                    Contains("[SGD] Nesterov momentum requires momentum > 0 and dampening = 0"));
  CHECK_THROWS_WITH(SGD({p}, 0.1, SGDOptions{0.9, 0.1, 0.0, true}),
                    Contains("[SGD] Nesterov momentum requires"));
  CHECK_THROWS_WITH(SGD({p}, 0.1, SGDOptions{0.0, 0.0, -1.0}),
                    "[SGD] weight_decay must be >= 0, got -1");
  CHECK_THROWS_WITH(Adam({p}, 1e-3, AdamOptions{0.9, 1.0}),
                    "[Adam] betas must lie in [0, 1), got (0.9, 1)");
  CHECK_THROWS_WITH(Adam({p}, 1e-3, AdamOptions{-0.1}), Contains("[Adam] betas must lie in"));
  CHECK_THROWS_WITH(Adam({p}, 1e-3, AdamOptions{0.9, 0.999, -1e-8}),
                    Contains("[Adam] eps must be >= 0"));
  CHECK_THROWS_WITH(AdamW({p}, 1e-3, AdamWOptions{0.9, 0.999, 1e-8, -0.01}),
                    "[AdamW] weight_decay must be >= 0, got -0.01");
  CHECK_THROWS_WITH(AdamW({p}, -0.5), "[AdamW] lr must be >= 0, got -0.5");
  AdamPOptions ap;
  ap.delta = -0.1;
  CHECK_THROWS_WITH(AdamP({p}, 1e-3, ap), "[AdamP] delta must be >= 0, got -0.1");
  CHECK_THROWS_WITH(AdamP({p}, 1e-3, AdamPOptions{1.0}), Contains("[AdamP] betas"));
  SGDPOptions sp;
  sp.momentum = 1.0;
  sp.weight_decay = 1e-4;
  CHECK_THROWS_WITH(SGDP({p}, 0.1, sp), Contains("[SGDP] momentum must be < 1 with weight decay"));
  sp.weight_decay = 0.0;
  CHECK_NOTHROW(SGDP({p}, 0.1, sp));

  CHECK_THROWS_WITH(SGD({}, 0.1), "[SGD] got an empty parameter list");
  CHECK_THROWS_WITH(Adam({p, p}), "[Adam] parameter 1 is the same tensor as parameter 0");
  CHECK_THROWS_WITH(Adam({Tensor()}), "[Adam] parameter 0 is undefined");
  CHECK_THROWS_WITH(Adam({zeros({2}, DType::i64)}),
                    Contains("[Adam] parameter 0 must be a floating"));
  Tensor derived = p * 2.0;
  CHECK_THROWS_WITH(Adam({derived}), Contains("[Adam] parameter 0 is not a leaf tensor"));

  SGD opt({p}, 0.1);
  CHECK_THROWS_WITH(opt.set_lr(-2), "[SGD] lr must be >= 0, got -2");
  CHECK(opt.lr() == 0.1);
  opt.set_lr(0.25);
  CHECK(opt.lr() == 0.25);
  Adam adam({p});
  CHECK(adam.lr() == 1e-3);
  CHECK_THROWS_WITH(adam.set_momentum(1.5), Contains("[Adam] betas must lie in [0, 1)"));
  adam.set_momentum(0.8);
  CHECK(adam.momentum() == 0.8);
  CHECK(adam.options().beta1 == 0.8);
  CHECK(AdamW({p}).options().weight_decay == 1e-2);
}
