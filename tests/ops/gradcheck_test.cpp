// The gradient checker itself must catch wrong rules, at first and at second order.
#include <catch2/catch.hpp>

#include "lathe.h"

using namespace lathe;

namespace {
// y = x^3 with a backward rule chosen by the test.
OpDef cube_with_rule(BackwardFn rule) {
  return OpDef("cube", "test").input("x").output("y").run([rule](const OpCall& c) {
    const Tensor& x = c.in("x");
    Tensor y;
    {
      NoGradGuard no_grad;
      y = x * x * x;
    }
    record("cube", {x}, {y}, {x}, rule);
    return Outputs{y};
  });
}

std::map<std::string, std::vector<Tensor>> some_x() {
  return {{"x", {from_vector(std::vector<double>{-1.2, 0.4, 0.9, 1.7}, {2, 2})}}};
}
}  // namespace

TEST_CASE("gradcheck passes a correct rule at both orders", "[unit][gradcheck_tool]") {
  OpDef good = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0);
    return {c.grad() * 3.0 * x * x};
  });
  GradcheckReport r = gradcheck(good, some_x());
  CHECK(r.ok());
  REQUIRE(r.results.size() == 3);  // first order x; second order x and the seed of y
  CHECK(r.results[0].max_abs_error < 1e-7);
}

TEST_CASE("gradcheck catches a wrong first-order rule", "[unit][gradcheck_tool]") {
  OpDef wrong = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0);
    return {c.grad() * 2.0 * x * x};
  });
  GradcheckReport r = gradcheck(wrong, some_x());
  CHECK_FALSE(r.ok());
  CHECK_FALSE(r.results[0].ok);
  CHECK(r.str().find("FAILED") != std::string::npos);
}

TEST_CASE("gradcheck catches a rule that is right once but not twice", "[unit][gradcheck_tool]") {
  // Correct values, but x is detached, so double backward misses the dependence on x.
  OpDef flat = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0).detach();
    return {c.grad() * 3.0 * x * x};
  });
  GradcheckReport r = gradcheck(flat, some_x());
  CHECK(r.results[0].ok);  // first order fine
  CHECK_FALSE(r.ok());     // second order w.r.t. x fails
}

TEST_CASE("gradcheck refuses inputs it cannot perturb", "[unit][gradcheck_tool][errors]") {
  OpDef good = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> { return {c.grad()}; });
  CHECK_THROWS_WITH(gradcheck(good, {{"x", {zeros({2})}}}),
                    Catch::Contains("[gradcheck]") && Catch::Contains("f64"));
}

TEST_CASE("gradcheck fails where the function is not finite", "[unit][gradcheck_tool]") {
  // sqrt of negative inputs: NaN everywhere, which must never count as agreement.
  GradcheckReport r = gradcheck(op_registry().get("sqrt"),
                                {{"x", {from_vector(std::vector<double>{-1.0, -2.0}, {2})}}});
  CHECK_FALSE(r.ok());
}

namespace {
// A feature-map-sized input: 40 x 50 = 2000 elements, so gradcheck samples it.
std::map<std::string, std::vector<Tensor>> big_x() {
  Generator gen(7);
  return {{"x", {uniform({40, 50}, -1.5, 1.5, DType::f64, Device::reference(), &gen)}}};
}

// Counts the forward evaluations gradcheck makes.
int cube_runs = 0;
OpDef counted_cube() {
  return OpDef("cube", "test").input("x").output("y").run([](const OpCall& c) {
    ++cube_runs;
    Tensor x = c.in("x");
    return Outputs{x * x * x};
  });
}
}  // namespace

TEST_CASE("gradcheck samples large inputs, seeded, and checks all on request",
          "[unit][gradcheck_tool]") {
  GradcheckOptions o;
  o.second_order = false;
  cube_runs = 0;
  GradcheckReport sampled = gradcheck(counted_cube(), big_x(), {}, o);
  CHECK(sampled.ok());
  REQUIRE(sampled.results.size() == 1);
  CHECK(sampled.results[0].checked == 64);
  CHECK(sampled.results[0].numel == 2000);
  CHECK(sampled.str().find("(sampled 64 of 2000 elements)") != std::string::npos);
  // One probe, one forward for the analytic gradient, two per sampled element.
  CHECK(cube_runs == 2 + 2 * 64);

  cube_runs = 0;
  o.max_elements = 0;
  GradcheckReport full = gradcheck(counted_cube(), big_x(), {}, o);
  CHECK(full.ok());
  CHECK(full.results[0].checked == 2000);
  CHECK(cube_runs == 2 + 2 * 2000);
  CHECK(full.str().find("sampled") == std::string::npos);

  // Small inputs are checked whole, as before sampling existed.
  o.max_elements = 64;
  GradcheckReport small = gradcheck(counted_cube(), some_x(), {}, o);
  CHECK(small.results[0].checked == 4);
}

TEST_CASE("sampled gradcheck still catches wrong rules at both orders", "[unit][gradcheck_tool]") {
  // Wrong everywhere at first order (2x^2 for 3x^2).
  OpDef wrong = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0);
    return {c.grad() * 2.0 * x * x};
  });
  GradcheckReport r1 = gradcheck(wrong, big_x());
  CHECK_FALSE(r1.results[0].ok);
  CHECK(r1.results[0].checked == 64);
  CHECK(r1.results[0].worst_index >= 0);
  CHECK(r1.results[0].worst_index < 2000);

  // Right at first order, wrong at second: x is detached inside the rule.
  OpDef flat = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0).detach();
    return {c.grad() * 3.0 * x * x};
  });
  GradcheckReport r2 = gradcheck(flat, big_x());
  REQUIRE(r2.results.size() == 3);
  CHECK(r2.results[0].ok);
  CHECK_FALSE(r2.results[1].ok);  // second order w.r.t. x, on a sample
  CHECK(r2.results[1].checked == 64);
  CHECK(r2.results[2].ok);  // w.r.t. the seed of y: the rule is linear in it, correctly
  CHECK(r2.results[2].checked == 64);

  // Right in x at both orders, wrong in the seed: the rule detaches the incoming gradient.
  OpDef seedless = cube_with_rule([](BackwardCtx& c) -> std::vector<Tensor> {
    Tensor x = c.saved(0);
    return {c.grad().detach() * 3.0 * x * x};
  });
  GradcheckReport r3 = gradcheck(seedless, big_x());
  REQUIRE(r3.results.size() == 3);
  CHECK(r3.results[0].ok);
  CHECK(r3.results[1].ok);
  CHECK_FALSE(r3.results[2].ok);
  CHECK(r3.results[2].wrt == "seed of y");
  CHECK(r3.results[2].checked == 64);

  // The sample is a function of the seed: the same run finds the same worst element.
  CHECK(gradcheck(wrong, big_x()).results[0].worst_index == r1.results[0].worst_index);
}
