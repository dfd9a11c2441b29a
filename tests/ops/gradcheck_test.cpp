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
