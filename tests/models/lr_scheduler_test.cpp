// The learning-rate schedulers of models/optim/lr_scheduler.h against
// tools/oracle/optim.py (tests/fixtures/optim/lr_scheduler/<case>/): the lr (and the momentum a
// one-cycle schedule drives) an optimizer holds after construction and after every step, as
// torch.optim.lr_scheduler (StepLR, LinearLR, OneCycleLR, and LambdaLR with the cosine-warmup
// formula) sets them (OneCycleLR at epoch total_steps: the final values, where PyTorch
// extrapolates). Also: state-dict round trips, errors, and stepping past a one-cycle run.

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "lathe.h"
#include "tests/support/fixture_group.h"
#include "tests/support/runners.h"
#include "models/optim/optim.h"

using namespace lathe;
using namespace lathe::optim;
using Catch::Matchers::Contains;

namespace {

std::vector<nlohmann::json> scheduler_cases() {
  std::vector<nlohmann::json> out;
  for (const auto& c : lathe::test::load_fixture_group(
           std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/optim/lr_scheduler.safetensors"))
    out.push_back(c.meta);
  REQUIRE(out.size() >= 8);
  return out;
}

Tensor dummy_param() {
  Tensor p = zeros({2}, DType::f64);
  p.requires_grad_();
  return p;
}

std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& meta, Tensor p) {
  const auto& o = meta["optimizer_options"];
  if (meta["optimizer"] == "sgd")
    return std::make_unique<SGD>(std::vector<Tensor>{p}, o["lr"].get<double>(),
                                 SGDOptions{o["momentum"].get<double>()});
  AdamOptions a;
  a.beta1 = o["beta1"].get<double>();
  return std::make_unique<Adam>(std::vector<Tensor>{p}, o["lr"].get<double>(), a);
}

std::unique_ptr<LRScheduler> make_scheduler(const nlohmann::json& meta, Optimizer& opt) {
  const auto& s = meta["scheduler"];
  std::string kind = s["scheduler"].get<std::string>();
  if (kind == "step_lr")
    return std::make_unique<StepLR>(opt, s["step_size"].get<int64_t>(), s["gamma"].get<double>());
  if (kind == "linear")
    return std::make_unique<LinearLR>(opt, s["start_factor"].get<double>(),
                                      s["end_factor"].get<double>(),
                                      s["total_iters"].get<int64_t>());
  if (kind == "cosine_warmup")
    return std::make_unique<CosineWarmupLR>(opt, s["warmup_steps"].get<int64_t>(),
                                            s["total_steps"].get<int64_t>(),
                                            s["min_lr"].get<double>());
  REQUIRE(kind == "one_cycle");
  OneCycleOptions o;
  o.pct_start = s["pct_start"].get<double>();
  o.anneal_strategy = s["anneal_strategy"].get<std::string>();
  o.cycle_momentum = s["cycle_momentum"].get<bool>();
  o.base_momentum = s["base_momentum"].get<double>();
  o.max_momentum = s["max_momentum"].get<double>();
  o.div_factor = s["div_factor"].get<double>();
  o.final_div_factor = s["final_div_factor"].get<double>();
  o.three_phase = s["three_phase"].get<bool>();
  return std::make_unique<OneCycleLR>(opt, s["max_lr"].get<double>(),
                                      s["total_steps"].get<int64_t>(), o);
}

bool close(double got, double want, double atol, double rtol) {
  return std::fabs(got - want) <= atol + rtol * std::fabs(want);
}

}  // namespace

TEST_CASE("schedulers set the lr PyTorch sets, step by step", "[unit][optim][scheduler]") {
  for (const auto& meta : scheduler_cases()) {
    INFO(meta["case"].get<std::string>() << ": " << meta["note"].get<std::string>());
    auto opt = make_optimizer(meta, dummy_param());
    auto sched = make_scheduler(meta, *opt);
    auto lrs = meta["lrs"].get<std::vector<double>>();
    auto momenta = meta["momenta"].get<std::vector<double>>();
    double atol = meta["atol"].get<double>(), rtol = meta["rtol"].get<double>();
    REQUIRE(lrs.size() == static_cast<size_t>(meta["steps"].get<int>() + 1));
    for (size_t e = 0; e < lrs.size(); ++e) {
      if (e > 0) sched->step();
      INFO("epoch " << e);
      CHECK(sched->last_epoch() == static_cast<int64_t>(e));
      CHECK(close(opt->lr(), lrs[e], atol, rtol));
      CHECK(close(sched->lr_at(e), lrs[e], atol, rtol));
      CHECK(close(opt->momentum(), momenta[e], atol, rtol));
    }
  }
}

TEST_CASE("a scheduler state dict restored mid-run continues identically",
          "[unit][optim][scheduler]") {
  for (const auto& meta : scheduler_cases()) {
    INFO(meta["case"].get<std::string>());
    auto opt_a = make_optimizer(meta, dummy_param());
    auto a = make_scheduler(meta, *opt_a);
    for (int e = 0; e < 13; ++e) a->step();
    StateDict sd = a->state_dict();
    CHECK(sd.size() == 2);
    CHECK(sd.at("last_epoch").dtype() == DType::i64);
    CHECK(sd.at("last_epoch").item() == 13);
    CHECK(sd.at("base_lr").item() == a->base_lr());

    auto opt_b = make_optimizer(meta, dummy_param());
    auto b = make_scheduler(meta, *opt_b);
    b->load_state_dict(sd);
    CHECK(b->last_epoch() == 13);
    CHECK(opt_b->lr() == opt_a->lr());
    CHECK(opt_b->momentum() == opt_a->momentum());
    int steps = meta["steps"].get<int>();
    for (int e = 14; e <= steps; ++e) {
      a->step();
      b->step();
      INFO("epoch " << e);
      CHECK(opt_b->lr() == opt_a->lr());
      CHECK(opt_b->momentum() == opt_a->momentum());
    }
  }
}

TEST_CASE("a one-cycle schedule refuses to step past total_steps", "[unit][optim][scheduler]") {
  Tensor p = dummy_param();
  SGD opt({p}, 0.1, SGDOptions{0.9});
  OneCycleLR sched(opt, 0.5, 10);
  CHECK(opt.lr() == Approx(0.02));  // max_lr / div_factor
  CHECK(opt.momentum() == 0.95);    // max_momentum
  for (int e = 0; e < 9; ++e) sched.step();
  CHECK(opt.lr() == Approx(0.02 / 1e4));  // epoch total_steps - 1: the final lr
  CHECK(opt.momentum() == Approx(0.95));
  // Epoch total_steps is allowed (as in PyTorch) and holds the final values where PyTorch
  // extrapolates the cosine back up.
  sched.step();
  double last = opt.lr();
  CHECK(last == Approx(0.02 / 1e4));
  CHECK(last == sched.lr_at(10));
  CHECK(sched.momentum_at(10) == Approx(0.95));
  CHECK_THROWS_WITH(sched.step(), Contains("[OneCycleLR] epoch 11 is past total_steps = 10"));
  CHECK(sched.last_epoch() == 10);
  CHECK(opt.lr() == last);
  StateDict sd = sched.state_dict();
  sd["last_epoch"] = scalar(11, DType::i64);
  CHECK_THROWS_WITH(sched.load_state_dict(sd), Contains("past total_steps"));
  CHECK(sched.last_epoch() == 10);
}

TEST_CASE("scheduler options and state dicts are checked", "[unit][optim][scheduler]") {
  Tensor p = dummy_param();
  SGD opt({p}, 0.1);
  CHECK_THROWS_WITH(StepLR(opt, 0), "[StepLR] step_size must be >= 1, got 0");
  CHECK_THROWS_WITH(StepLR(opt, 3, -0.5), "[StepLR] gamma must be >= 0, got -0.5");
  CHECK_THROWS_WITH(LinearLR(opt, 1.5), "[LinearLR] start_factor must lie in [0, 1], got 1.5");
  CHECK_THROWS_WITH(LinearLR(opt, 0.5, 2.0), Contains("[LinearLR] end_factor must lie in"));
  CHECK_THROWS_WITH(LinearLR(opt, 0.5, 1.0, 0), "[LinearLR] total_iters must be >= 1, got 0");
  CHECK_THROWS_WITH(CosineWarmupLR(opt, 10, 10),
                    Contains("[CosineWarmupLR] total_steps must exceed warmup_steps"));
  CHECK_THROWS_WITH(CosineWarmupLR(opt, -1, 10), Contains("[CosineWarmupLR] warmup_steps"));
  CHECK_THROWS_WITH(CosineWarmupLR(opt, 1, 10, -1.0), Contains("[CosineWarmupLR] min_lr"));
  CHECK_THROWS_WITH(OneCycleLR(opt, 0.0, 10), Contains("[OneCycleLR] max_lr must be > 0"));
  CHECK_THROWS_WITH(OneCycleLR(opt, 1.0, 0), Contains("[OneCycleLR] total_steps must be >= 1"));
  OneCycleOptions o;
  o.anneal_strategy = "exp";
  CHECK_THROWS_WITH(OneCycleLR(opt, 1.0, 10, o),
                    "[OneCycleLR] anneal_strategy must be 'cos' or 'linear', got 'exp'");
  o = OneCycleOptions();
  o.pct_start = 0.1;  // the rise ends at 0.1 * 10 - 1 = 0: a phase of length zero
  CHECK_THROWS_WITH(OneCycleLR(opt, 1.0, 10, o), Contains("gives a phase of length zero"));
  o.pct_start = 1.5;
  CHECK_THROWS_WITH(OneCycleLR(opt, 1.0, 10, o), Contains("[OneCycleLR] pct_start must lie in"));
  Adam adam({p}, 0.1);
  o = OneCycleOptions();
  o.max_momentum = 1.0;  // beta1 = 1 is not a valid Adam setting
  CHECK_THROWS_WITH(OneCycleLR(adam, 1.0, 10, o), Contains("[Adam] betas must lie in [0, 1)"));

  StepLR sched(opt, 5, 0.5);
  CHECK_THROWS_WITH(sched.lr_at(-1), "[StepLR] epoch must be >= 0, got -1");
  StateDict good = sched.state_dict();
  StateDict sd = good;
  sd["gamma"] = scalar(0.5, DType::f64);
  CHECK_THROWS_WITH(sched.load_state_dict(sd),
                    "[StepLR] load_state_dict: unexpected key 'gamma'");
  sd = good;
  sd.erase("base_lr");
  CHECK_THROWS_WITH(sched.load_state_dict(sd), "[StepLR] load_state_dict: missing key 'base_lr'");
  sd = good;
  sd["last_epoch"] = scalar(-3, DType::i64);
  CHECK_THROWS_WITH(sched.load_state_dict(sd), Contains("'last_epoch' must be a non-negative"));
  sd = good;
  sd["base_lr"] = zeros({2}, DType::f64);
  CHECK_THROWS_WITH(sched.load_state_dict(sd), Contains("'base_lr' must hold one element"));
  // A loaded epoch sets the lr at once.
  sd = good;
  sd["last_epoch"] = scalar(12, DType::i64);
  sched.load_state_dict(sd);
  CHECK(opt.lr() == 0.1 * 0.25);
}

TEST_CASE("a scheduler owns the lr: set_lr between steps is overwritten",
          "[unit][optim][scheduler]") {
  Tensor p = dummy_param();
  SGD opt({p}, 1.0);
  CosineWarmupLR sched(opt, 2, 4);
  CHECK(opt.lr() == 0.0);  // warmup starts at 0
  sched.step();
  CHECK(opt.lr() == 0.5);
  opt.set_lr(7.0);
  sched.step();
  CHECK(opt.lr() == 1.0);
  sched.step();
  CHECK(opt.lr() == Approx(0.5));
  sched.step();
  CHECK(opt.lr() == Approx(0.0).margin(1e-15));
  sched.step();  // past total_steps: stays at min_lr
  CHECK(opt.lr() == Approx(0.0).margin(1e-15));
}
