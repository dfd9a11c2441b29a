// models/optim/lbfgs: L-BFGS against torch.optim.LBFGS (tools/oracle/lbfgs.py,
// tests/fixtures/optim/lbfgs.safetensors) step for step on the Rosenbrock function, a small
// tanh least-squares fit and a one-layer KAN fit (three parameter tensors), with and without
// the strong-Wolfe line search, history eviction and the max_eval cap; then the state-dict resume (bit for bit), the Trainer with its closure, and
// the errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <functional>

#include "lathe.h"
#include "models/optim/lbfgs.h"
#include "models/trainer.h"
#include "tests/support/fixture_group.h"

using namespace lathe;
using Catch::Matchers::Contains;

namespace {

Tensor rosenbrock(const Tensor& p) {
  Tensor x = slice(p, 0, 0, 1), y = slice(p, 0, 1, 2);  // [1] each
  return sum(pow(1.0 - x, 2.0) + 100.0 * pow(y - x * x, 2.0));
}

// y = a tanh(b x + c) + d on the 8 points of tools/oracle/lbfgs.py.
Tensor tanh_fit(const Tensor& p) {
  std::vector<double> xs(8), ys(8);
  for (int i = 0; i < 8; ++i) {
    xs[i] = -2.0 + 4.0 * i / 7.0;
    ys[i] = 1.5 * std::tanh(0.8 * xs[i] - 0.3) + 0.2 + 0.05 * std::sin(5 * xs[i]);
  }
  Tensor x = from_vector(xs, {8}, DType::f64, p.device());
  Tensor y = from_vector(ys, {8}, DType::f64, p.device());
  Tensor pred = slice(p, 0, 0, 1) * tanh(slice(p, 0, 1, 2) * x + slice(p, 0, 2, 3)) +
                slice(p, 0, 3, 4);  // [8]
  return mean(pow(pred - y, 2.0));
}

// The fixture case's loss of its parameters: Rosenbrock, the tanh fit, or the mean squared
// error of one KANLinear layer (base_weight, spline_weight, spline_scaler) on the stored data.
std::function<Tensor(const std::vector<Tensor>&)> problem_of(const test::FixtureCase& c) {
  std::string problem = c.meta["problem"].get<std::string>();
  using Params = std::vector<Tensor>;
  if (problem == "rosenbrock") return [](const Params& p) { return rosenbrock(p[0]); };
  if (problem == "tanh_fit") return [](const Params& p) { return tanh_fit(p[0]); };
  REQUIRE(problem == "kan_fit");
  Tensor x = c.at("data.x"), y = c.at("data.y"), grid = c.at("data.grid");
  return [x, y, grid](const std::vector<Tensor>& p) {
    return mean(pow(kan_linear(x, grid, p[0], p[1], p[2]) - y, 2.0));
  };
}

optim::LbfgsOptions options_of(const nlohmann::json& meta) {
  optim::LbfgsOptions o;
  o.max_iter = meta.value("max_iter", int64_t{20});
  o.history_size = meta.value("history_size", int64_t{100});
  o.line_search_fn = meta.value("line_search_fn", std::string());
  return o;
}

double max_rel_diff(const Tensor& got, const Tensor& want) {
  std::vector<double> a = got.to_vector<double>(), b = want.to_vector<double>();
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::fabs(a[i] - b[i]) / (1e-12 + std::fabs(b[i])));
  return worst;
}

}  // namespace

TEST_CASE("LBFGS matches torch.optim.LBFGS step for step", "[unit][optim]") {
  auto cases = test::load_fixture_group(std::string(LATHE_SOURCE_DIR) +
                                        "/tests/fixtures/optim/lbfgs.safetensors");
  REQUIRE(cases.size() == 7);
  for (const test::FixtureCase& c : cases) {
    INFO("case " << c.name);
    auto f = problem_of(c);
    int64_t n = c.meta["params"].get<int64_t>();
    std::vector<Tensor> ps;
    for (int64_t i = 0; i < n; ++i)
      ps.push_back(c.at("x0." + std::to_string(i)).clone().requires_grad_());
    optim::LBFGS opt(ps, c.meta["lr"].get<double>(), options_of(c.meta));
    auto closure = [&] {
      opt.zero_grad();
      Tensor loss = f(ps);
      loss.backward();
      return loss;
    };
    int64_t steps = c.meta["steps"].get<int64_t>();
    std::vector<double> losses = c.at("loss").to_vector<double>();
    std::vector<double> evals = c.at("func_evals").to_vector<double>();
    std::vector<double> iters = c.at("n_iter").to_vector<double>();
    for (int64_t s = 0; s < steps; ++s) {
      INFO("step() call " << s);
      double loss = opt.step(closure).item();
      CHECK(loss == Approx(losses[s]).epsilon(1e-10));
      for (int64_t i = 0; i < n; ++i)
        CHECK(max_rel_diff(ps[i].detach(), c.at("param." + std::to_string(i)).select(0, s)) <
              1e-9);
      nn::StateDict st = opt.state_dict();
      CHECK(st.at("func_evals").item() == evals[s]);
      CHECK(st.at("n_iter").item() == iters[s]);
    }
  }
}

TEST_CASE("LBFGS state dict resumes a run bit for bit", "[unit][optim]") {
  optim::LbfgsOptions o;
  o.max_iter = 3;
  o.history_size = 4;
  o.line_search_fn = "strong_wolfe";
  auto run = [&](Tensor& p, optim::LBFGS& opt, int steps) {
    for (int s = 0; s < steps; ++s)
      opt.step([&] {
        opt.zero_grad();
        Tensor l = rosenbrock(p);
        l.backward();
        return l;
      });
  };
  Tensor a = from_vector(std::vector<double>{-1.2, 1.0}, {2}).requires_grad_();
  optim::LBFGS full({a}, 1.0, o);
  run(a, full, 4);

  Tensor b = from_vector(std::vector<double>{-1.2, 1.0}, {2}).requires_grad_();
  optim::LBFGS first({b}, 1.0, o);
  run(b, first, 2);
  nn::StateDict saved = first.state_dict();
  CHECK(saved.at("old_dirs").shape()[1] == 2);
  Tensor c = b.detach().clone().requires_grad_();
  optim::LBFGS resumed({c}, 1.0, o);
  resumed.load_state_dict(saved);
  run(c, resumed, 2);
  CHECK(c.to_vector<double>() == a.to_vector<double>());
  CHECK(resumed.state_dict().at("n_iter").item() == full.state_dict().at("n_iter").item());

  nn::StateDict bad = saved;
  bad.erase("t");
  CHECK_THROWS_WITH(resumed.load_state_dict(bad), Contains("[LBFGS]"));
}

TEST_CASE("LBFGS errors name the optimizer", "[unit][optim]") {
  Tensor p = from_vector(std::vector<double>{0.5, 0.5}, {2}).requires_grad_();
  optim::LBFGS opt({p});
  CHECK_THROWS_WITH(opt.step([&] { return p * 2.0; }),
                    Contains("[LBFGS] the closure must return a scalar"));
  CHECK_THROWS_WITH(opt.step([] { return Tensor(); }), Contains("[LBFGS]"));
  rosenbrock(p).backward();
  optim::Optimizer& base = opt;
  CHECK_THROWS_WITH(base.step(), Contains("[LBFGS] step() needs a closure"));
  CHECK_THROWS_WITH(opt.set_momentum(0.9), Contains("[LBFGS]"));
  optim::LbfgsOptions o;
  o.line_search_fn = "backtracking";
  CHECK_THROWS_WITH(optim::LBFGS({p}, 1.0, o), Contains("[LBFGS] line_search_fn"));
  o = optim::LbfgsOptions();
  o.history_size = 0;
  CHECK_THROWS_WITH(optim::LBFGS({p}, 1.0, o), Contains("[LBFGS] history_size"));
}

TEST_CASE("LBFGS drives the Trainer through its closure and checkpoints", "[unit][optim]") {
  // y = x w* + 0.5 on 32 points: a linear least-squares fit L-BFGS solves in one batch.
  Generator gen(7);
  Tensor x = randn({32, 3}, DType::f32, default_device(), &gen);
  Tensor w = from_vector(std::vector<float>{1.0f, -2.0f, 0.5f}, {3, 1});
  Tensor y = matmul(x, w) + 0.5;
  data::TensorDataset ds({x, y});
  data::DataLoader loader(ds);  // one batch of 32
  manual_seed(3);
  nn::Linear model(3, 1);
  optim::LbfgsOptions o;
  o.line_search_fn = "strong_wolfe";
  optim::LBFGS opt(model.parameters(), 1.0, o);
  train::Trainer trainer(model, opt, [](const Tensor& out, const data::Batch& b) {
    return mse_loss(out, b[1]);
  });
  trainer.options().epochs = 2;
  std::vector<train::EpochRecord> records = trainer.fit(loader);
  REQUIRE(records.size() == 2);
  CHECK(records[0].train.loss() > 0.1);        // the first evaluation, before any step
  CHECK(records[1].train.loss() < 1e-6);       // solved within the first step's 20 iterations
  CHECK(trainer.step() == 2);
  std::vector<float> weights = model.parameters()[0].to_vector<float>();
  CHECK(weights[0] == Approx(1.0).margin(1e-3));
  CHECK(weights[1] == Approx(-2.0).margin(1e-3));

  std::string path = "lbfgs_trainer_test.safetensors";
  trainer.save_checkpoint(path);
  nn::Linear model2(3, 1);
  optim::LBFGS opt2(model2.parameters(), 1.0, o);
  train::Trainer trainer2(model2, opt2, [](const Tensor& out, const data::Batch& b) {
    return mse_loss(out, b[1]);
  });
  trainer2.load_checkpoint(path);
  CHECK(opt2.state_dict().at("n_iter").item() == opt.state_dict().at("n_iter").item());
  CHECK(opt2.state_dict().at("d").to_vector<float>() ==
        opt.state_dict().at("d").to_vector<float>());
  std::remove(path.c_str());
}
