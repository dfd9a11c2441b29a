// Engine behaviour, tested apart from any particular op's math.
#include <catch2/catch.hpp>

#include "lathe.h"

using namespace lathe;

namespace {
Tensor leaf(std::vector<double> v, Shape shape) {
  return from_vector(v, shape, DType::f64).requires_grad_();
}

std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("fan-out: a tensor used twice accumulates both gradients", "[unit][autograd]") {
  Tensor x = leaf({1, 2, 3}, {3});
  Tensor y = sum(x * x + x * 3.0);  // dy/dx = 2x + 3
  y.backward();
  CHECK(values(x.grad()) == std::vector<double>{5, 7, 9});
}

TEST_CASE("backward twice accumulates into .grad", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  sum(x * 2.0).backward();
  sum(x * 3.0).backward();
  CHECK(values(x.grad()) == std::vector<double>{5, 5});
  x.zero_grad();
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("broadcast gradients are reduced back to the input shape", "[unit][autograd]") {
  Tensor a = leaf({1, 2, 3}, {3});     // broadcast over rows
  Tensor b = leaf({10, 20}, {2, 1});  // broadcast over columns
  sum(a * b).backward();              // [2, 3]
  CHECK(a.grad().shape() == Shape{3});
  CHECK(values(a.grad()) == std::vector<double>{30, 30, 30});
  CHECK(b.grad().shape() == Shape{2, 1});
  CHECK(values(b.grad()) == std::vector<double>{6, 6});
}

TEST_CASE("inputs that do not require grad get no gradient", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  Tensor c = from_vector(std::vector<double>{3, 4}, {2});
  sum(x * c).backward();
  CHECK(values(x.grad()) == std::vector<double>{3, 4});
  CHECK_FALSE(c.grad().defined());
  CHECK_FALSE(c.requires_grad());
}

TEST_CASE("an unused input gets nothing, and lathe::grad says so", "[unit][autograd]") {
  Tensor x = leaf({1}, {1}), unused = leaf({2}, {1});
  Tensor y = sum(x * 2.0);
  std::vector<Tensor> g = grad({y}, {x, unused}, {}, {true, false, true});
  CHECK(values(g[0]) == std::vector<double>{2});
  CHECK_FALSE(g[1].defined());
  CHECK(error_of([&] { grad({y}, {unused}); }).find("[grad] input 0") != std::string::npos);
}

TEST_CASE("no-grad mode records nothing, detach cuts history", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  {
    NoGradGuard no_grad;
    Tensor y = x * 2.0;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.grad_fn() == nullptr);
  }
  CHECK(is_grad_enabled());
  Tensor d = (x * 2.0).detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.is_leaf());
  Tensor y = sum(d * x);  // d is a constant here
  y.backward();
  CHECK(values(x.grad()) == std::vector<double>{2, 4});
}

TEST_CASE("backward through a freed graph is an error naming the op", "[unit][autograd]") {
  Tensor x = leaf({0.5}, {1});
  Tensor y = sum(exp(x));
  y.backward();
  std::string msg = error_of([&] { y.backward(); });
  CHECK(msg.find("[exp] backward through the graph a second time") != std::string::npos);

  Tensor z = sum(exp(x));
  z.backward({}, /*retain_graph=*/true);
  z.backward();  // allowed: the first call kept the graph
  CHECK(values(x.grad())[0] == Approx(std::exp(0.5) * 3));
}

TEST_CASE("a saved tensor modified in place is caught at backward", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  Tensor w = from_vector(std::vector<double>{3, 4}, {2});
  Tensor y = sum(x * w);  // mul saves w
  w.add_(1.0);
  std::string msg = error_of([&] { y.backward(); });
  CHECK(msg.find("[mul] a tensor saved for backward was modified in place") != std::string::npos);

  Tensor e = exp(x);  // exp saves its output
  Tensor total = sum(e);
  {
    NoGradGuard no_grad;
    e.mul_(2.0);
  }
  CHECK(error_of([&] { total.backward(); }).find("[exp]") != std::string::npos);
}

TEST_CASE("in-place ops are refused on tensors in the graph", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  CHECK(error_of([&] { x.add_(1.0); }).find("[add_]") != std::string::npos);
  {
    NoGradGuard no_grad;
    x.add_(1.0);  // what an optimizer step does
  }
  CHECK(values(x) == std::vector<double>{2, 3});
  Tensor b = ones({3}, DType::f64).expand({2, 3});
  CHECK(error_of([&] { b.mul_(2.0); }).find("broadcast") != std::string::npos);
}

TEST_CASE("backward of a non-scalar needs a gradient", "[unit][autograd][errors]") {
  Tensor x = leaf({1, 2}, {2});
  Tensor y = x * 2.0;
  std::string msg = error_of([&] { y.backward(); });
  CHECK(msg.find("[backward]") != std::string::npos);
  CHECK(msg.find("[2]") != std::string::npos);
  y.backward(from_vector(std::vector<double>{1, 10}, {2}));
  CHECK(values(x.grad()) == std::vector<double>{2, 20});
  CHECK(error_of([&] { sum(x * 2.0).backward(ones({3}, DType::f64)); }).find("[backward]") !=
        std::string::npos);
  Tensor c = ones({1}, DType::f64);
  CHECK(error_of([&] { c.backward(); }).find("does not require grad") != std::string::npos);
}

TEST_CASE("double backward: second derivative of tanh", "[unit][autograd]") {
  Tensor x = leaf({-1.3, 0.2, 0.9}, {3});
  Tensor y = sum(tanh(x));
  std::vector<Tensor> g = grad({y}, {x}, {}, {true, true});  // 1 - tanh^2
  REQUIRE(g[0].requires_grad());
  std::vector<Tensor> h = grad({sum(g[0])}, {x});  // -2 tanh (1 - tanh^2)
  std::vector<double> xs = {-1.3, 0.2, 0.9}, got = values(h[0]);
  for (size_t i = 0; i < xs.size(); ++i) {
    double t = std::tanh(xs[i]);
    CHECK(got[i] == Approx(-2 * t * (1 - t * t)).epsilon(1e-12));
  }
}

TEST_CASE("double backward: Hessian-vector product of a small MLP", "[unit][autograd]") {
  // f(w) = sum(tanh(x W^T) v); H v computed two ways: autograd of <grad f, u>, and central
  // differences of grad f along u.
  manual_seed(7);
  Tensor x = randn({4, 3}, DType::f64), v = randn({2}, DType::f64);
  Tensor w = randn({2, 3}, DType::f64).requires_grad_();
  Tensor u = randn({2, 3}, DType::f64);
  auto grad_f = [&](const Tensor& weights, bool create) {
    Tensor f = sum(matmul(tanh(matmul(x, weights.t())), v));
    return grad({f}, {weights}, {}, {create, create})[0];
  };
  Tensor hvp = grad({sum(grad_f(w, true) * u)}, {w})[0];
  double eps = 1e-6;
  Tensor wp = (w.detach() + u * eps).requires_grad_(), wm = (w.detach() - u * eps).requires_grad_();
  Tensor numeric = (grad_f(wp, false) - grad_f(wm, false)) / (2 * eps);
  std::vector<double> a = values(hvp), n = values(numeric);
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(n[i]).margin(1e-7));
}

TEST_CASE("lathe::grad of an intermediate tensor leaves .grad alone", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  Tensor h = x * 3.0;
  Tensor y = sum(h * h);
  std::vector<Tensor> g = grad({y}, {h});
  CHECK(values(g[0]) == std::vector<double>{6, 12});  // 2h
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("hooks see and may replace gradients, retain_grad keeps a non-leaf's", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  std::vector<double> seen;
  x.register_hook([&](const Tensor& g) {
    seen = values(g);
    return g * 10.0;
  });
  Tensor h = x * 2.0;
  h.retain_grad();
  int calls = 0;
  h.register_hook([&](const Tensor&) {
    ++calls;
    return Tensor();
  });
  sum(h * h + h).backward();  // dh = 2h + 1; dx = 2 dh, once summed over both uses of x
  CHECK(calls == 1);
  CHECK(values(h.grad()) == std::vector<double>{5, 9});
  CHECK(seen == std::vector<double>{10, 18});
  CHECK(values(x.grad()) == std::vector<double>{100, 180});
}

TEST_CASE("anomaly mode names the op producing NaN", "[unit][autograd]") {
  Tensor x = leaf({-1, 4}, {2});
  AnomalyGuard anomaly;
  CHECK(error_of([&] { sqrt(x); }).find("[sqrt] produced NaN or Inf") != std::string::npos);
  Tensor z = leaf({0, 1}, {2});
  Tensor y = sum(sqrt(z));  // forward is finite; d sqrt / dz is Inf at 0
  CHECK(error_of([&] { y.backward(); }).find("[sqrt] backward produced NaN or Inf") !=
        std::string::npos);
}

TEST_CASE("the graph holds no cycles: outputs release it", "[unit][autograd]") {
  Tensor x = leaf({1, 2}, {2});
  std::weak_ptr<Node> node;
  {
    Tensor y = exp(x);  // saves its own output: must not keep itself alive
    node = y.grad_fn();
    CHECK_FALSE(node.expired());
  }
  CHECK(node.expired());
}

TEST_CASE("DOT export shows ops, leaves and outputs", "[unit][autograd]") {
  Tensor w = leaf({1, 2}, {2});
  w.set_name("w");
  Tensor y = sum(exp(w) * 2.0);
  std::string dot = to_dot({y});
  CHECK(dot.rfind("digraph lathe {", 0) == 0);
  CHECK(dot.find("label=\"exp\\nsaves 1\"") != std::string::npos);
  CHECK(dot.find("w\\n[2] f64") != std::string::npos);
  CHECK(dot.find("output 0") != std::string::npos);
  CHECK(dot.find("sum") != std::string::npos);
}

TEST_CASE("deep graphs do not overflow the stack", "[unit][autograd]") {
  Tensor x = leaf({1}, {1});
  Tensor y = x;
  for (int i = 0; i < 20000; ++i) y = y * 1.0;
  sum(y).backward();
  CHECK(values(x.grad()) == std::vector<double>{1});
}

TEST_CASE("gradients keep the dtype of their input", "[unit][autograd]") {
  Tensor a = from_vector(std::vector<float>{1, 2}, {2}).requires_grad_();
  Tensor b = from_vector(std::vector<double>{3, 4}, {2}).requires_grad_();
  Tensor y = sum(a * b);
  CHECK(y.dtype() == DType::f64);
  y.backward();
  CHECK(a.grad().dtype() == DType::f32);
  CHECK(b.grad().dtype() == DType::f64);
  CHECK(a.grad().to_vector<float>() == std::vector<float>{3, 4});
}

TEST_CASE("sum_to reduces a broadcast gradient and is twice differentiable", "[unit][autograd]") {
  std::vector<double> v(24);
  for (int i = 0; i < 24; ++i) v[i] = i;
  Tensor x = leaf(v, {2, 3, 4});
  Tensor y = sum_to(x, {3, 1});  // sums axis 0 (dropped) and axis 2 (kept as 1)
  REQUIRE(y.shape() == Shape{3, 1});
  // y[j] = sum over i, k of (12 i + 4 j + k) = 12 * 4 + 8 * 4 j + 2 * 6 = 60 + 32 j
  CHECK(values(y) == std::vector<double>{60, 92, 124});
  CHECK(sum_to(x, {2, 3, 4}).impl() == x.impl());  // nothing to reduce: x itself

  // d sum(y * w) / dx = w broadcast back over x: the backward is expand.
  Tensor w = from_vector(std::vector<double>{1, 2, 3}, {3, 1}, DType::f64);
  Tensor g = grad({sum(y * w)}, {x})[0];
  CHECK(values(g) == std::vector<double>{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                         1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
  // Second order: d/dx sum(d sum(y^2)/dx) = d/dx sum(2 y[j(x)]) = 2 * 8 for every x.
  Tensor g1 = grad({sum(y * y)}, {x}, {}, {true, true, false})[0];
  Tensor g2 = grad({sum(g1)}, {x})[0];
  CHECK(values(g2) == std::vector<double>(24, 16.0));

  CHECK(error_of([&] { sum_to(x, {5}); }) == "[sum_to] cannot reduce [2, 3, 4] to [5]");
  CHECK(error_of([&] { sum_to(x, {2, 2, 3, 4}); }) ==
        "[sum_to] cannot reduce [2, 3, 4] to [2, 2, 3, 4]");
  CHECK(error_of([] { sum_to(arange(6).reshape({2, 3}), {3}); }) ==
        "[sum_to] expected a floating tensor, got i64");
}
