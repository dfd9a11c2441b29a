// The composite kit (ops/composite.h): its checks, reductions, activation table and
// fused_or_composite, and the two include rules it stands for: the kit pulls in nothing of the
// autograd engine or kernel dispatch, and an op outside ops/prim/ that includes
// ops/custom_op.h (its own backward) declares .custom_backward(...) in its registry entry.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "lathe.h"
#include "ops/composite.h"

using namespace lathe;
namespace fs = std::filesystem;

namespace {
const std::string kRoot = LATHE_SOURCE_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The project headers a file includes ("..." includes that exist under the source root).
std::vector<std::string> project_includes(const std::string& text) {
  static const std::regex include(R"re(#include\s+"([^"]+)")re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it)
    if (fs::exists(kRoot + "/" + (*it)[1].str())) out.push_back((*it)[1].str());
  return out;
}

// Every project header reachable from `header`, itself included.
std::set<std::string> include_closure(const std::string& header) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {header};
  while (!todo.empty()) {
    std::string h = todo.back();
    todo.pop_back();
    if (!seen.insert(h).second) continue;
    for (const std::string& next : project_includes(read_text(kRoot + "/" + h)))
      todo.push_back(next);
  }
  return seen;
}

// Source files under `dir` (relative to the root) whose text includes ops/custom_op.h and that
// do not declare .custom_backward(; `skip` is a path prefix left out (ops/prim/).
std::vector<std::string> undeclared_custom_ops(const std::string& dir, const std::string& skip,
                                               std::vector<std::string>& including) {
  std::vector<std::string> bad;
  for (const auto& entry : fs::recursive_directory_iterator(kRoot + "/" + dir)) {
    std::string path = fs::relative(entry.path(), kRoot).generic_string();
    if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
    if (!skip.empty() && path.rfind(skip, 0) == 0) continue;
    std::string text = read_text(entry.path());
    if (text.find("#include \"ops/custom_op.h\"") == std::string::npos) continue;
    including.push_back(path);
    if (text.find(".custom_backward(") == std::string::npos) bad.push_back(path);
  }
  return bad;
}

double value(const Tensor& t) { return t.item(); }
}  // namespace

TEST_CASE("kit: composite.h pulls in no autograd or kernel internals", "[unit][kit]") {
  std::set<std::string> closure = include_closure("ops/composite.h");
  CHECK(closure.count("ops/ops.h") == 1);
  CHECK(closure.count("core/registry.h") == 1);
  for (const char* internal : {"core/autograd.h", "core/kernel.h", "core/backend_registry.h"}) {
    INFO(internal);
    CHECK(closure.count(internal) == 0);
  }
  // The header for ops with their own backward does bring them.
  CHECK(include_closure("ops/custom_op.h").count("core/autograd.h") == 1);
}

TEST_CASE("kit: ops including custom_op.h declare .custom_backward", "[unit][kit]") {
  std::vector<std::string> including;
  std::vector<std::string> bad = undeclared_custom_ops("ops", "ops/prim/", including);
  std::vector<std::string> bad_losses = undeclared_custom_ops("losses", "", including);
  bad.insert(bad.end(), bad_losses.begin(), bad_losses.end());
  for (const std::string& path : bad)
    FAIL_CHECK(path << " includes ops/custom_op.h (a backward of its own) but its registry "
                       "entry does not declare .custom_backward(note)");
  // The scan sees the custom ops that exist today (so it is not vacuously empty).
  CHECK(std::count(including.begin(), including.end(), "ops/norm/power_norm.cpp") == 1);
  CHECK(std::count(including.begin(), including.end(), "ops/norm/unified_norm.cpp") == 1);
}

TEST_CASE("kit: checks name the op and the argument", "[unit][kit][errors]") {
  Tensor f = zeros({2, 3}), i = zeros({2, 3}, DType::i64);
  CHECK_NOTHROW(check_floating("op", f));
  CHECK_THROWS_WITH(check_floating("op", i),
                    "[op] expected a floating tensor, got i64 of shape [2, 3]");
  CHECK_THROWS_WITH(check_floating("op", "w", Tensor()), "[op] w is missing");
  CHECK_THROWS_WITH(check_floating("op", "w", i), "[op] w must be a floating tensor, got i64");
  CHECK_NOTHROW(check_shape("op", "w", f, {2, 3}));
  CHECK_THROWS_WITH(check_shape("op", "w", f, {3}), "[op] w must have shape [3], got [2, 3]");
  CHECK_NOTHROW(check_optional_shape("op", "w", Tensor(), {3}));
  CHECK_THROWS_WITH(check_optional_shape("op", "w", f, {3}), Catch::StartsWith("[op] w must"));
  CHECK_NOTHROW(check_same_shape("op", "a", f, "b", zeros({2, 3})));
  CHECK_THROWS_WITH(check_same_shape("op", "a", f, "b", zeros({3})),
                    "[op] a [2, 3] and b [3] must have the same shape");
  CHECK_NOTHROW(check_dim("op", "x", f, 2));
  CHECK_THROWS_WITH(check_dim("op", "x", f, 3), "[op] x must have 3 dims, got shape [2, 3]");
}

TEST_CASE("kit: Reduction parses, names and reduces", "[unit][kit]") {
  CHECK(parse_reduction("op", "none") == Reduction::none);
  CHECK(parse_reduction("op", "mean") == Reduction::mean);
  CHECK(parse_reduction("op", "sum") == Reduction::sum);
  CHECK(std::string(reduction_name(Reduction::mean)) == "mean");
  CHECK_THROWS_WITH(parse_reduction("mse_loss", "avg"),
                    "[mse_loss] reduction must be none, mean or sum, got 'avg'");
  Tensor loss = from_vector(std::vector<double>{1, 2, 3, 6}, {2, 2});
  CHECK(value(apply_reduction(loss, Reduction::sum)) == 12.0);
  CHECK(value(apply_reduction(loss, Reduction::mean)) == 3.0);
  CHECK(apply_reduction(loss, Reduction::none).shape() == Shape{2, 2});
  CHECK(value(apply_reduction(loss, "mean", "op")) == 3.0);
  CHECK_THROWS_WITH(apply_reduction(loss, "batchmean", "kl"), Catch::StartsWith("[kl] reduction"));
}

TEST_CASE("kit: one activation table for every caller", "[unit][kit]") {
  const double x = -0.7, y = 1.3;
  auto at = [](const char* name, double v) {
    return value(activation("test", name, from_vector(std::vector<double>{v}, {})));
  };
  double phi = 0.5 * (1 + std::erf(x / std::sqrt(2.0)));
  CHECK(at("relu", x) == 0.0);
  CHECK(at("relu", y) == y);
  CHECK(at("silu", x) == Approx(x / (1 + std::exp(-x))).epsilon(1e-14));
  CHECK(at("gelu", x) == Approx(x * phi).epsilon(1e-14));
  double inner = std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x);
  CHECK(at("gelu_tanh", x) == Approx(0.5 * x * (1 + std::tanh(inner))).epsilon(1e-14));
  CHECK(at("tanh", x) == Approx(std::tanh(x)).epsilon(1e-14));
  CHECK(at("sigmoid", x) == Approx(1 / (1 + std::exp(-x))).epsilon(1e-14));
  CHECK(at("softplus", x) == Approx(std::log1p(std::exp(x))).epsilon(1e-14));
  CHECK(at("leaky_relu", x) == Approx(0.01 * x).epsilon(1e-14));
  CHECK(at("elu", x) == Approx(std::expm1(x)).epsilon(1e-12));
  CHECK(at("selu", x) ==
        Approx(1.0507009873554805 * 1.6732632423543772 * std::expm1(x)).epsilon(1e-12));
  CHECK(at("selu", y) == Approx(1.0507009873554805 * y).epsilon(1e-14));
  CHECK_THROWS_WITH(check_activation("kan_linear", "swish"),
                    Catch::StartsWith("[kan_linear] unknown activation 'swish' (silu | relu"));
  // The layers use the same table: gelu_tanh (an MLP name) and elu (a KAN name) both work.
  Tensor v = from_vector(std::vector<double>{x}, {});
  CHECK(value(nn::make_activation("elu", "MLP")->forward(v)) == Approx(std::expm1(x)));
  CHECK(value(nn::make_activation("gelu_tanh", "MLP")->forward(v)) == Approx(at("gelu_tanh", x)));
}

TEST_CASE("kit: fused_or_composite falls back to the composite", "[unit][kit]") {
  Tensor x =
      from_vector(std::vector<double>{1, 2, 3}, {3}, DType::f64, Device::reference()).requires_grad_();
  int calls = 0;
  auto composite = [&calls](const std::vector<Tensor>& in) {
    ++calls;
    return std::vector<Tensor>{in[0] * in[0]};
  };
  // The reference backend offers no fused kernel, and a non-fusable call never asks.
  FusedKernel kernel{"softmax", {x}, {{x.shape(), x.dtype()}}, {0.0}};
  for (bool fusable : {true, false}) {
    Tensor y = fused_or_composite(kernel, fusable, composite)[0];
    CHECK(y.to_vector<double>() == std::vector<double>{1, 4, 9});
    CHECK(grad({sum(y)}, {x})[0].to_vector<double>() == std::vector<double>{2, 4, 6});
  }
  CHECK(calls == 2);
  CHECK(try_fused(kernel).empty());
  // A kernel name that backends/fused_ops.def does not list is a programming error.
  FusedKernel unknown{"kit_test_square", {x}, {{x.shape(), x.dtype()}}, {}};
  CHECK_THROWS_WITH(fused_or_composite(unknown, true, composite),
                    Catch::Contains("is not a fused kernel of backends/fused_ops.def"));
}

#ifdef LATHE_WITH_CPU_BACKEND_TESTS
TEST_CASE("kit: fused_or_composite records the fused kernel's node", "[unit][kit][cpu]") {
  Device cpu = Device::parse("cpu");
  Tensor x = from_vector(std::vector<double>{0.5, -1, 2, 0, 1, 3}, {2, 3}).to(cpu);
  x.requires_grad_();
  bool composite_ran = false;
  FusedKernel kernel{"softmax", {x}, {{x.shape(), x.dtype()}}, {1.0}, -1, false};
  auto composite = [&composite_ran](const std::vector<Tensor>& in) {
    composite_ran = true;
    return std::vector<Tensor>{softmax(in[0], 1)};
  };
  auto rule = [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                 const std::vector<Tensor>& out) {
    CHECK(!in[0].defined());  // save_inputs = false: only the output was kept
    return std::vector<Tensor>{softmax_backward(g[0], out[0], 1)};
  };
  Tensor y = fused_or_composite(kernel, true, composite, rule)[0];
  CHECK_FALSE(composite_ran);
  REQUIRE(y.grad_fn());
  CHECK(std::string(y.grad_fn()->name()) == "softmax");
  Tensor seed = from_vector(std::vector<double>{1, 0, 0, 0, 2, 0}, {2, 3}).to(cpu);
  Tensor g = grad({sum(y * seed)}, {x})[0];
  Tensor ref_x = x.detach().to(Device::reference()).requires_grad_();
  Tensor ref_y = softmax(ref_x, 1);
  Tensor ref_g = grad({sum(ref_y * seed.to(Device::reference()))}, {ref_x})[0];
  std::vector<double> a = g.to(Device::reference()).to_vector<double>();
  std::vector<double> e = ref_g.to_vector<double>();
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(e[i]).margin(1e-14));
}
#endif
