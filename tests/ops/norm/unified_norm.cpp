// Cases and unit tests for ops/norm/unified_norm.cpp. Multi-step behaviour against the PyTorch
// reference: sequence_test.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {
const char* kCustom = "custom backward: checked against the reference algorithm instead";
// The oracle runner's f32 pass would start from the state its f64 pass's backward wrote.
const char* kInPlace =
    "the backward updates ema_gz/buffer_gz in place: f32 is covered by the sequence test";

// Windows of `forward` and `backward` steps; x normal with `scale`.
Case un(const std::string& name, int64_t forward = 4, int64_t backward = 4, bool masked = true,
        double scale = 1.0) {
  Case c("unified_norm", name);
  c.normal("x", {4, 2, 3}, scale).in("weight", {3}, 0.5, 2.0).normal("bias", {3});
  if (masked) c.values("pad_mask", {4, 2}, {0, 1, 0, 0, 0, 0, 1, 0}, DType::boolean);
  c.in("running_var", {3}, 0.5, 2.0).in("buffer_x2", {forward, 3}, 0.5, 2.0);
  c.normal("ema_gz", {3}, 0.3).normal("buffer_gz", {backward, 3}, 0.3);
  return c;
}

// A training step: not gradchecked (custom backward), no f32 oracle run (state written in place).
Case train(Case c) { return c.no_gradcheck(kCustom).no_oracle_f32(kInPlace); }

struct State {
  Tensor x, w, b, rv, bx2, ema, bgz;
};

State make_state(uint64_t seed, int64_t mf = 4, int64_t mb = 4) {
  Generator gen(seed);
  auto u = [&](Shape s) { return rand(s, DType::f64, default_device(), &gen) + 0.5; };
  auto n = [&](Shape s) { return randn(s, DType::f64, default_device(), &gen) * 0.3; };
  return {randn({5, 3}, DType::f64, default_device(), &gen).requires_grad_(),
          u({3}).requires_grad_(),
          n({3}).requires_grad_(),
          u({3}),
          u({mf, 3}),
          n({3}),
          n({mb, 3})};
}

UnifiedNormResult run(const State& s, int64_t step, int64_t warmup, bool filtration = false) {
  UnifiedNormOptions o;
  o.step = step;
  o.warmup_iters = warmup;
  o.outlier_filtration = filtration;
  return unified_norm(s.x, s.w, s.b, s.rv, s.bx2, s.ema, s.bgz, Tensor(), o);
}
}  // namespace

LATHE_CASES(unified_norm) {
  add(train(un("early")).attr("step", 2).attr("warmup_iters", 1)
          .note("t = 2 <= window 4: batch statistics, r = 1"));
  add(train(un("window")).attr("step", 10).attr("warmup_iters", 4)
          .note("t = 10 > window, past warmup 4: geometric mean, windowed gz"));
  add(train(un("filtration")).attr("step", 10).attr("warmup_iters", 4)
          .attr("outlier_filtration", true)
          .note("filtration on over a random window"));
  // x2 ~ 36 far above a quiet window of x2 ~ 1: the step is skipped
  Case outlier("unified_norm", "outlier");
  outlier.normal("x", {4, 2, 3}, 6.0).in("weight", {3}, 0.5, 2.0).normal("bias", {3})
      .values("pad_mask", {4, 2}, {0, 1, 0, 0, 0, 0, 1, 0}, DType::boolean)
      .in("running_var", {3}, 0.5, 2.0)
      .values("buffer_x2", {4, 3},
              {1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 0.98, 1.02, 1.01, 1.0, 1.0, 1.0})
      .normal("ema_gz", {3}, 0.3)
      .normal("buffer_gz", {4, 3}, 0.3);
  add(train(outlier).attr("step", 10).attr("warmup_iters", 4).attr("outlier_filtration", true)
          .note("filtration on, x2 far above a quiet window: skip, batch stats"));
  add(train(un("compensation", 4, 4, true, 3.0)).attr("step", 1500).attr("warmup_iters", 4)
          .note("t = 1500 > max(1000, warmup): r = clamp(ratio, 1/5, 5)"));
  add(train(un("windows", 3, 2, false)).attr("step", 7).attr("warmup_iters", 2)
          .attr("outlier_filtration", true)
          .note("forward window 3, backward window 2, filtration on, t = 7"));
  // Eval is a composite: its gradient is the true one, and f32 reads the state unchanged.
  add(un("eval").attr("training", false)
          .note("training false: gamma x / sqrt(running_var + eps) + beta"));
}

TEST_CASE("unified_norm: eval with a fresh state", "[unit][norm]") {
  State s = make_state(1);
  Tensor rv = ones({3}, DType::f64);
  UnifiedNormOptions o;
  o.training = false;
  Tensor window = zeros({4, 3}, DType::f64);
  UnifiedNormResult r =
      unified_norm(s.x, s.w, s.b, rv, window, zeros({3}, DType::f64), window.clone(), Tensor(), o);
  CHECK(compare(r.y, s.w * s.x / std::sqrt(1 + 1e-5) + s.b, 1e-15, 1e-15) == "");
  CHECK(r.skipped.item() == 0);
  CHECK(r.running_var.impl() == rv.impl());
}

TEST_CASE("unified_norm: the first window, the geometric mean and the compensation gate",
          "[unit][norm]") {
  State s = make_state(2);
  Tensor x = s.x.detach(), x2 = mean(x * x, {0});
  // t = 2 <= M: batch statistics, r = 1, the buffer row 2 takes x2.
  UnifiedNormResult early = run(s, 2, 1);
  CHECK(compare(early.y, x / sqrt(x2 + 1e-5) * s.w + s.b, 1e-15, 1e-15) == "");
  CHECK(compare(early.buffer_x2.select(0, 2), x2, 0, 0) == "");
  CHECK(compare(early.running_var, 0.9 * s.rv + 0.1 * x2, 1e-15, 1e-15) == "");
  CHECK(s.bx2.select(0, 2).to_vector<double>() != x2.to_vector<double>());  // input untouched
  // t = 9 > M, past warmup: the window's geometric mean (row 9 % 4 = 1 replaced by x2).
  UnifiedNormResult late = run(s, 9, 4);
  Tensor window = s.bx2.clone();
  window.select(0, 1).copy_(x2);
  Tensor gm = exp(mean(log(window), {0}));
  CHECK(compare(late.y, x / sqrt(gm + 1e-5) * s.w + s.b, 1e-14, 1e-14) == "");
  CHECK(late.skipped.item() == 0);
}

TEST_CASE("unified_norm: the defined backward is not the derivative of the forward",
          "[unit][norm]") {
  State s = make_state(3);
  Tensor ema0 = s.ema.clone(), bgz0 = s.bgz.clone();
  UnifiedNormResult r = run(s, 1500, 4);  // GM forward, windowed backward, r compensated
  Tensor dy = ones({5, 3}, DType::f64);
  r.y.backward(dy);
  // The forward as a composite of x (statistics included) differentiates differently.
  Tensor xv = s.x.detach().clone().requires_grad_();
  Tensor window = slice_scatter(s.bx2, unsqueeze(mean(xv * xv, {0}), 0), 0, 0, 1);  // t % 4 = 0
  Tensor y = xv / sqrt(exp(mean(log(window), {0})) + 1e-5) * s.w.detach() + s.b.detach();
  CHECK(compare(y, r.y, 1e-14, 1e-14) == "");
  y.backward(dy);
  CHECK(compare(s.x.grad(), xv.grad(), 1e-3, 1e-3) != "");
  // The defined rule, step by step.
  Tensor var = exp(mean(log(r.buffer_x2), {0}));
  Tensor ratio = clamp(sqrt(var + 1e-5) / sqrt(s.rv + 1e-5), 0.2, 5.0);
  Tensor z = s.x.detach() / sqrt(var + 1e-5);
  Tensor g = dy * s.w.detach() * ratio, gz = mean(g * z, {0});
  Tensor window_gz = bgz0.clone();
  window_gz.select(0, 0).copy_(gz);
  Tensor ema = 0.9 * ema0 + 0.1 * mean(window_gz, {0});
  CHECK(compare(s.ema, ema, 1e-14, 1e-14) == "");
  CHECK(compare(s.bgz, window_gz, 1e-14, 1e-14) == "");
  CHECK(compare(s.x.grad(), (g - ema * z) / sqrt(var + 1e-5), 1e-13, 1e-13) == "");
  CHECK(compare(s.w.grad(), sum(dy * ratio * z, {0}), 1e-13, 1e-13) == "");
}

TEST_CASE("unified_norm: outliers and a window of one skip to batch statistics", "[unit][norm]") {
  State s = make_state(4);
  s.bx2 = full({4, 3}, 1.0, DType::f64) +
          from_vector(std::vector<double>{0, 0.01, 0, 0.02, 0, 0, 0, 0, 0.01, 0, 0, 0}, {4, 3});
  State loud = s;
  loud.x = (s.x.detach() * 10.0).requires_grad_();
  UnifiedNormResult r = run(loud, 10, 4, true);
  CHECK(r.skipped.item() == 1);
  CHECK(compare(r.buffer_x2.select(0, 2), s.rv, 0, 0) == "");  // the running statistic instead
  Tensor x = loud.x.detach(), x2 = mean(x * x, {0});
  CHECK(compare(r.y, x / sqrt(x2 + 1e-5) * s.w + s.b, 1e-14, 1e-14) == "");
  Tensor ema0 = loud.ema.clone();
  r.y.backward(ones_like(r.y.detach()));
  CHECK(compare(loud.bgz.select(0, 10 % 4), ema0, 0, 0) == "");  // skip writes the old ema_gz
  // Without filtration the same step is no outlier.
  State quiet = make_state(4);
  CHECK(run(quiet, 10, 4, false).skipped.item() == 0);
  // A forward window of one always skips.
  State one = make_state(5, 1, 2);
  CHECK(run(one, 20, 4).skipped.item() == 1);
}

TEST_CASE(
    "unified_norm: several forwards per backward, a second backward and double backward "
    "are rejected",
    "[unit][norm][errors]") {
  State s = make_state(6);
  UnifiedNormResult a = run(s, 1, 4);
  UnifiedNormResult b = run(s, 2, 4);
  CHECK_THROWS_WITH(sum(a.y).backward(),
                    Catch::Contains("[unified_norm] ema_gz or buffer_gz changed"));
  CHECK_NOTHROW(sum(b.y).backward());
  State t = make_state(7);
  UnifiedNormResult r = run(t, 1, 4);
  r.y.backward(ones_like(r.y.detach()), true);
  CHECK_THROWS_WITH(r.y.backward(ones_like(r.y.detach())),
                    Catch::Contains("[unified_norm] ema_gz or buffer_gz changed"));
  State u = make_state(8);
  UnifiedNormResult d = run(u, 1, 4);
  CHECK_THROWS_WITH(grad({sum(d.y)}, {u.x}, {}, {true, true, false}),
                    Catch::Contains("[unified_norm] double backward"));
}

TEST_CASE("unified_norm: bad inputs name the op", "[unit][norm][errors]") {
  State s = make_state(9);
  CHECK_THROWS_WITH(run(s, 0, 4), Catch::Contains("[unified_norm] step must be >= 1"));
  State bad = s;
  bad.bx2 = zeros({4, 2}, DType::f64);
  CHECK_THROWS_WITH(run(bad, 1, 4),
                    Catch::Contains("[unified_norm] buffer_x2 must be [window, 3]"));
  bad = s;
  bad.bgz = zeros({0, 3}, DType::f64);
  CHECK_THROWS_WITH(run(bad, 1, 4), Catch::Contains("[unified_norm] buffer_gz must be"));
}
