// Cases and unit tests for ops/norm/power_norm.cpp. Multi-step behaviour against the PyTorch
// reference: sequence_test.cpp.
#include <catch2/catch.hpp>

#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {
const char* kCustom = "custom backward: checked against the reference algorithm instead";
// The oracle runner's f32 pass would start from the state its f64 pass's backward wrote.
const char* kInPlace = "the backward updates ema_gz in place: f32 is covered by the sequence test";

Case pn(const std::string& name, bool masked = true) {
  Case c("power_norm", name);
  c.normal("x", {4, 2, 3}).in("weight", {3}, 0.5, 2.0).normal("bias", {3});
  if (masked) c.values("pad_mask", {4, 2}, {0, 0, 1, 0, 0, 0, 0, 1}, DType::boolean);
  c.in("running_phi", {3}, 0.5, 2.0).normal("ema_gz", {3}, 0.3);
  return c;
}

// A training step: not gradchecked (custom backward), no f32 oracle run (state written in place).
Case train(Case c) { return c.no_gradcheck(kCustom).no_oracle_f32(kInPlace); }

struct Step {
  Tensor x, w, b, phi, ema;
};

Step make_step(uint64_t seed, Shape shape = {4, 3}) {
  Generator gen(seed);
  int64_t c = shape[shape.size() - 1];
  return {randn(shape, DType::f64, default_device(), &gen).requires_grad_(),
          (rand({c}, DType::f64, default_device(), &gen) + 0.5).requires_grad_(),
          randn({c}, DType::f64, default_device(), &gen).requires_grad_(),
          rand({c}, DType::f64, default_device(), &gen) + 0.5,
          randn({c}, DType::f64, default_device(), &gen) * 0.3};
}

PowerNormOptions at(int64_t step, int64_t warmup, bool code_faithful = true) {
  PowerNormOptions o;
  o.step = step;
  o.warmup_iters = warmup;
  o.code_faithful = code_faithful;
  return o;
}
}  // namespace

LATHE_CASES(power_norm) {
  add(train(pn("warmup")).attr("step", 3).attr("warmup_iters", 5)
          .note("t = 3 < warmup 5: batch statistics, cumulative average, pad rows"));
  add(train(pn("at_warmup")).attr("step", 5).attr("warmup_iters", 5)
          .note("t = warmup = 5: batch forward, EMA update only (code)"));
  add(train(pn("after_warmup")).attr("step", 9).attr("warmup_iters", 5)
          .note("t = 9 > warmup 5: running forward, batch backward (code)"));
  add(train(pn("paper_at_warmup")).attr("step", 5).attr("warmup_iters", 5)
          .attr("code_faithful", false)
          .note("Algorithm 1, t = warmup: the cumulative average runs"));
  add(train(pn("paper_after_warmup")).attr("step", 9).attr("warmup_iters", 5)
          .attr("code_faithful", false)
          .note("Algorithm 1, t = 9: backward divided by psi_{t-1}"));
  add(train(pn("alphas", false)).attr("step", 4).attr("warmup_iters", 2).attr("alpha_fwd", 0.7)
          .attr("alpha_bkw", 0.95)
          .note("alpha_fwd 0.7, alpha_bkw 0.95, no pad mask, after warmup"));
  // Eval is a composite: its gradient is the true one, and f32 reads the state unchanged.
  add(pn("eval").attr("training", false)
          .note("training false: gamma x / sqrt(running_phi + eps) + beta, true grad"));
}

TEST_CASE("power_norm: eval with a fresh state is an affine map of x", "[unit][norm]") {
  Step s = make_step(1);
  PowerNormOptions o;
  o.training = false;
  Tensor phi = ones({3}, DType::f64), ema = zeros({3}, DType::f64);
  PowerNormResult r = power_norm(s.x, s.w, s.b, phi, ema, Tensor(), o);
  CHECK(compare(r.y, s.w * s.x / std::sqrt(1 + 1e-5) + s.b, 1e-15, 1e-15) == "");
  CHECK(r.running_phi.impl() == phi.impl());
  r.y.backward(ones_like(r.y.detach()));
  CHECK(compare(s.x.grad(), expand(s.w.detach(), {4, 3}) / std::sqrt(1 + 1e-5), 1e-15, 1e-15) ==
        "");
  CHECK(ema.to_vector<double>() == std::vector<double>{0, 0, 0});
}

TEST_CASE("power_norm: the defined backward is not the derivative of the forward", "[unit][norm]") {
  // Inside warmup the forward is PN-V's, x / sqrt(mean(x^2) + eps); the true gradient subtracts
  // z mean(g z), the defined one subtracts (1 - alpha_bkw) ema_gz z instead.
  Step s = make_step(2);
  Tensor ema = s.ema.clone();
  PowerNormResult r = power_norm(s.x, s.w, s.b, s.phi, ema, Tensor(), at(1, 10));
  Tensor xv = s.x.detach().clone().requires_grad_();
  Tensor yv = power_norm_vanilla(xv, s.w.detach(), s.b.detach());
  CHECK(compare(r.y, yv, 1e-15, 1e-15) == "");
  Generator gen(3);
  Tensor dy = randn({4, 3}, DType::f64, default_device(), &gen);
  r.y.backward(dy);
  yv.backward(dy);
  CHECK(compare(s.x.grad(), xv.grad(), 1e-3, 1e-3) != "");
  Tensor x = s.x.detach(), w = s.w.detach();
  Tensor denom = sqrt(mean(x * x, {0}) + 1e-5), z = x / denom;
  Tensor approx = dy * w - 0.1 * s.ema * z;
  CHECK(compare(s.x.grad(), approx / denom, 1e-14, 1e-14) == "");
  CHECK(compare(ema, s.ema + mean(approx * z, {0}), 1e-14, 1e-14) == "");
  CHECK(compare(s.w.grad(), sum(dy * z, {0}), 1e-14, 1e-14) == "");
  CHECK(compare(s.b.grad(), sum(dy, {0}), 1e-14, 1e-14) == "");
}

TEST_CASE("power_norm: padded rows leave the batch statistic, not the ema_gz mean",
          "[unit][norm]") {
  Step s = make_step(4, {3, 2, 3});
  Tensor pad = from_vector(std::vector<bool>{false, true, false, false, true, false}, {3, 2});
  Tensor ema = s.ema.clone();
  PowerNormResult r = power_norm(s.x, s.w, s.b, s.phi, ema, pad, at(1, 5));
  Tensor rows = reshape(s.x.detach(), {6, 3});
  Tensor kept = index_select(rows, from_vector(std::vector<int64_t>{0, 2, 3, 5}, {4}), 0);
  Tensor var = mean(kept * kept, {0});
  Tensor z = rows / sqrt(var + 1e-5);
  CHECK(compare(reshape(r.y, {6, 3}), z * s.w.detach() + s.b.detach(), 1e-15, 1e-15) == "");
  CHECK(compare(r.running_phi, var, 1e-15, 1e-15) == "");  // t = 1: the cumulative average is var
  Tensor dy = ones({3, 2, 3}, DType::f64);
  r.y.backward(dy);
  Tensor approx = reshape(dy, {6, 3}) * s.w.detach() - 0.1 * s.ema * z;
  CHECK(compare(ema, s.ema + mean(approx * z, {0}), 1e-14, 1e-14) == "");  // all six rows
}

TEST_CASE("power_norm: code_faithful false divides the backward by psi_{t-1}", "[unit][norm]") {
  Step a = make_step(5), b = make_step(5);
  Tensor ema_a = a.ema.clone(), ema_b = b.ema.clone();
  PowerNormResult ra = power_norm(a.x, a.w, a.b, a.phi, ema_a, Tensor(), at(7, 3));
  PowerNormResult rb = power_norm(b.x, b.w, b.b, b.phi, ema_b, Tensor(), at(7, 3, false));
  CHECK(compare(ra.y, rb.y, 0, 0) == "");  // the same forward after warmup
  CHECK(compare(ra.running_phi, rb.running_phi, 0, 0) == "");
  ra.y.backward(ones_like(ra.y.detach()));
  rb.y.backward(ones_like(rb.y.detach()));
  Tensor x = a.x.detach();
  Tensor ratio = sqrt(a.phi + 1e-5) / sqrt(mean(x * x, {0}) + 1e-5);  // running / batch
  CHECK(compare(a.x.grad(), b.x.grad() * ratio, 1e-13, 1e-13) == "");
  CHECK(compare(ema_a, ema_b, 0, 0) == "");
  // At t = warmup the paper path still takes the cumulative average, the code's does not.
  Step c = make_step(6);
  PowerNormResult code = power_norm(c.x, c.w, c.b, c.phi, c.ema.clone(), Tensor(), at(3, 3));
  PowerNormResult paper =
      power_norm(c.x, c.w, c.b, c.phi, c.ema.clone(), Tensor(), at(3, 3, false));
  Tensor var = mean(c.x.detach() * c.x.detach(), {0});
  CHECK(compare(code.running_phi, 0.9 * c.phi + 0.1 * var, 1e-15, 1e-15) == "");
  CHECK(compare(paper.running_phi, 0.9 * (c.phi * (2.0 / 3) + var / 3) + 0.1 * var, 1e-15, 1e-15) ==
        "");
}

TEST_CASE(
    "power_norm: several forwards per backward, a second backward and double backward "
    "are rejected",
    "[unit][norm][errors]") {
  Step s = make_step(7);
  Tensor ema = s.ema.clone();
  PowerNormResult first = power_norm(s.x, s.w, s.b, s.phi, ema, Tensor(), at(1, 5));
  PowerNormResult second = power_norm(s.x, s.w, s.b, first.running_phi, ema, Tensor(), at(2, 5));
  Tensor before = ema.clone();
  CHECK_THROWS_WITH(sum(first.y).backward(),
                    Catch::Contains("[power_norm] ema_gz changed between this forward and its "
                                    "backward"));
  CHECK(compare(ema, before, 0, 0) == "");  // the stale backward wrote nothing
  CHECK_NOTHROW(sum(second.y).backward());  // the latest forward owns ema_gz

  Step t = make_step(8);
  PowerNormResult r = power_norm(t.x, t.w, t.b, t.phi, t.ema, Tensor(), at(1, 5));
  r.y.backward(ones_like(r.y.detach()), /*retain_graph=*/true);
  CHECK_THROWS_WITH(r.y.backward(ones_like(r.y.detach())),
                    Catch::Contains("[power_norm] ema_gz changed"));

  Step u = make_step(9);
  PowerNormResult d = power_norm(u.x, u.w, u.b, u.phi, u.ema, Tensor(), at(1, 5));
  CHECK_THROWS_WITH(grad({sum(d.y)}, {u.x}, {}, {true, true, false}),
                    Catch::Contains("[power_norm] double backward"));
}

TEST_CASE("power_norm: a forward without a graph updates running_phi only", "[unit][norm]") {
  Step s = make_step(10);
  Tensor ema = s.ema.clone();
  uint64_t version = ema.version();
  NoGradGuard no_grad;
  PowerNormResult r = power_norm(s.x, s.w, s.b, s.phi, ema, Tensor(), at(1, 5));
  CHECK_FALSE(r.y.requires_grad());
  CHECK(ema.version() == version);
  Tensor x = s.x.detach();
  CHECK(compare(r.running_phi, mean(x * x, {0}), 1e-15, 1e-15) == "");
}

TEST_CASE("power_norm: bad inputs name the op", "[unit][norm][errors]") {
  Step s = make_step(11);
  CHECK_THROWS_WITH(power_norm(s.x, s.w, s.b, s.phi, s.ema, Tensor(), at(0, 5)),
                    Catch::Contains("[power_norm] step must be >= 1"));
  Tensor all_pad = full({4}, 1.0, DType::boolean);
  CHECK_THROWS_WITH(power_norm(s.x, s.w, s.b, s.phi, s.ema, all_pad, at(1, 5)),
                    Catch::Contains("[power_norm] every row is padding"));
  CHECK_THROWS_WITH(power_norm(s.x, s.w, s.b, s.phi, s.ema, zeros({4}, DType::f64), at(1, 5)),
                    Catch::Contains("[power_norm] pad_mask must be bool"));
  CHECK_THROWS_WITH(
      power_norm(s.x, s.w, s.b, s.phi, s.ema, zeros({2, 2}, DType::boolean), at(1, 5)),
      Catch::Contains("[power_norm] pad_mask must have shape [4]"));
  CHECK_THROWS_WITH(power_norm(s.x, s.w, s.b, ones({4}, DType::f64), s.ema),
                    Catch::Contains("[power_norm] running_phi must have shape [3]"));
  PowerNormOptions o = at(1, 5);
  o.alpha_bkw = 1.5;
  CHECK_THROWS_WITH(power_norm(s.x, s.w, s.b, s.phi, s.ema, Tensor(), o),
                    Catch::Contains("[power_norm] alpha_fwd and alpha_bkw"));
}
