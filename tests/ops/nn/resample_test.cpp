// Resampling ops and modules: bad input names the op; values by hand; BatchNorm2d and Upsample
// against PyTorch's modules (tests/fixtures/models/resample.safetensors,
// tools/oracle/models_resample.py).
#include <catch2/catch.hpp>

#include "lathe.h"
#include "models/resample.h"
#include "ops/nn/resample.h"
#include "tests/support/fixture_group.h"

using namespace lathe;

namespace {
using Ints = std::vector<int64_t>;
using Values = std::vector<double>;

Values values_of(const Tensor& t) { return t.to(DType::f64).to_vector<double>(); }

Tensor iota(const Shape& shape) {
  int64_t n = 1;
  for (int64_t e : shape) n *= e;
  return reshape(arange(n, DType::f64), shape);
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  return max(abs(a.to(DType::f64) - b.to(DType::f64))).item();
}
}  // namespace

TEST_CASE("unfold and fold by hand", "[unit][resample]") {
  UnfoldOptions u;
  u.kernel_size = {2};
  Tensor cols = unfold(iota({1, 1, 3, 3}), u);  // taps (0,0) (0,1) (1,0) (1,1) x 4 positions
  CHECK(cols.shape() == Shape{1, 4, 4});
  CHECK(values_of(cols) == Values{0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8});
  FoldOptions f;
  f.output_size = {3};
  f.kernel_size = {2};
  // fold(unfold(1)) counts the windows covering each cell
  CHECK(values_of(fold(unfold(ones({1, 1, 3, 3}, DType::f64), u), f)) ==
        Values{1, 2, 1, 2, 4, 2, 1, 2, 1});
  // stride 2 with padding 1: disjoint windows, so fold inverts unfold exactly
  u.stride = {2};
  u.padding = {1};
  f.stride = {2};
  f.padding = {1};
  f.output_size = {4, 4};
  Tensor x = iota({2, 3, 4, 4});
  CHECK(max_abs_diff(fold(unfold(x, u), f), x) == 0);
}

TEST_CASE("unfold and fold reject bad input", "[unit][resample][errors]") {
  UnfoldOptions u;
  u.kernel_size = {4};
  CHECK_THROWS_WITH(unfold(zeros({1, 1, 3, 3}), u),
                    Catch::Contains("[unfold] kernel [4, 4]") &&
                        Catch::Contains("larger than the padded input [3, 3]"));
  u.kernel_size = {2};
  u.stride = {0};
  CHECK_THROWS_WITH(unfold(zeros({1, 1, 3, 3}), u),
                    Catch::Contains("[unfold] stride must be >= 1"));
  u.stride = {1};
  u.padding = {-1};
  CHECK_THROWS_WITH(unfold(zeros({1, 1, 3, 3}), u),
                    Catch::Contains("[unfold] padding must be >= 0"));
  u.padding = {0};
  CHECK_THROWS_WITH(unfold(zeros({3, 3}), u), Catch::Contains("[unfold] x must be [N, C"));
  FoldOptions f;
  f.output_size = {3};
  f.kernel_size = {2};
  CHECK_THROWS_WITH(fold(zeros({1, 6, 4}), f),
                    Catch::Contains("[fold] cols [1, 6, 4]") &&
                        Catch::Contains("divisible by the kernel's 4 taps"));
  CHECK_THROWS_WITH(fold(zeros({1, 8, 5}), f),
                    Catch::Contains("[fold] cols [1, 8, 5] has 5 positions") &&
                        Catch::Contains("gives [2, 2] = 4"));
  CHECK_THROWS_WITH(fold(zeros({8}), f), Catch::Contains("[fold] cols must be"));
  f.output_size = {};
  CHECK_THROWS_WITH(fold(zeros({1, 8, 4}), f), Catch::Contains("[fold] output_size takes 1 or 2"));
}

TEST_CASE("interpolate by hand", "[unit][resample]") {
  InterpolateOptions o;
  o.size = {5};
  // nearest: floor(dst * 3 / 5)
  CHECK(values_of(interpolate(iota({1, 1, 3}), o)) == Values{0, 0, 1, 1, 2});
  o.size = {4};
  o.mode = "linear";
  Tensor x = reshape(from_vector(Values{0, 3}, {2}, DType::f64), {1, 1, 2});
  // align_corners false: src = max(0, (dst + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1.25 -> clamped
  CHECK(values_of(interpolate(x, o)) == Values{0, 0.75, 2.25, 3});
  o.align_corners = true;
  CHECK(values_of(interpolate(x, o)) == Values{0, 1, 2, 3});
  // bilinear = linear along H then W: a product of two ramps stays exact
  InterpolateOptions b;
  b.mode = "bilinear";
  b.align_corners = true;
  b.size = {3, 3};
  Tensor corners = reshape(from_vector(Values{0, 0, 0, 4}, {4}, DType::f64), {1, 1, 2, 2});
  CHECK(values_of(interpolate(corners, b)) == Values{0, 0, 0, 0, 1, 2, 0, 2, 4});
  // a scale factor of 2 gives the same as size 2 in
  InterpolateOptions s;
  s.scale_factor = 2.0;
  o = {};
  o.size = {6, 8};
  Tensor y = iota({1, 2, 3, 4});
  CHECK(max_abs_diff(interpolate(y, s), interpolate(y, o)) == 0);
}

TEST_CASE("interpolate rejects bad input", "[unit][resample][errors]") {
  InterpolateOptions o;
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 4}), o),
                    Catch::Contains("[interpolate] give exactly one of size and scale_factor"));
  o.size = {2};
  o.scale_factor = 2.0;
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 4}), o),
                    Catch::Contains("[interpolate] give exactly one of size and scale_factor"));
  o.scale_factor = 0;
  o.mode = "bilinear";
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 4}), o),
                    Catch::Contains("[interpolate] mode for a 3-D x must be 'nearest' or "
                                    "'linear'"));
  o.mode = "nearest";
  o.align_corners = true;
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 4}), o),
                    Catch::Contains("[interpolate] align_corners applies to the linear modes"));
  o.align_corners = false;
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 2, 2, 2}), o),
                    Catch::Contains("[interpolate] x must be [N, C, L] or [N, C, H, W]"));
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 0}), o),
                    Catch::Contains("[interpolate] x [1, 1, 0] has an empty spatial dim"));
  o.size = {0};
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 4}), o),
                    Catch::Contains("[interpolate] size must be >= 1"));
  o.size = {};
  o.scale_factor = 0.2;
  CHECK_THROWS_WITH(interpolate(zeros({1, 1, 4}), o),
                    Catch::Contains("[interpolate] scale_factor 0.2 maps x [1, 1, 4] to an empty"));
}

TEST_CASE("adaptive pools by hand", "[unit][resample]") {
  // windows of 5 -> 3: [0, 2), [1, 4), [3, 5)
  Tensor x = reshape(from_vector(Values{1, 2, 3, 4, 5}, {5}, DType::f64), {1, 1, 1, 5});
  CHECK(values_of(adaptive_avg_pool2d(x, {1, 3})) == Values{1.5, 3, 4.5});
  Tensor m = reshape(from_vector(Values{1, 5, 2, 4, 3, 6}, {6}, DType::f64), {1, 1, 2, 3});
  MaxPoolResult r = adaptive_max_pool2d(m, {1, 2});  // column windows [0, 2), [1, 3)
  CHECK(values_of(r.y) == Values{5, 6});
  CHECK(r.indices.to_vector<int64_t>() == std::vector<int64_t>{1, 5});
  // the gradient goes to the first maximum only, summed where windows share it
  Tensor t = reshape(from_vector(Values{7, 7, 1, 1}, {4}, DType::f64), {1, 1, 1, 4});
  t.requires_grad_();
  MaxPoolResult tied = adaptive_max_pool2d(t, {1, 3});  // [0, 2), [1, 3), [2, 4)
  CHECK(tied.indices.to_vector<int64_t>() == std::vector<int64_t>{0, 1, 2});
  sum(tied.y).backward();
  CHECK(values_of(t.grad()) == Values{1, 1, 1, 0});
}

TEST_CASE("adaptive pools reject bad input", "[unit][resample][errors]") {
  CHECK_THROWS_WITH(adaptive_avg_pool2d(zeros({1, 1, 4, 4}), {0}),
                    Catch::Contains("[adaptive_avg_pool2d] output_size must be >= 1"));
  CHECK_THROWS_WITH(adaptive_max_pool2d(zeros({1, 1, 4, 4}), {1, 2, 3}),
                    Catch::Contains("[adaptive_max_pool2d] output_size takes 1 or 2 values"));
  CHECK_THROWS_WITH(adaptive_avg_pool2d(zeros({4, 4}), {2}),
                    Catch::Contains("[adaptive_avg_pool2d] x must be [N, C"));
  CHECK_THROWS_WITH(adaptive_max_pool2d(zeros({1, 1, 0, 4}), {2}),
                    Catch::Contains("[adaptive_max_pool2d] x [1, 1, 0, 4] has an empty"));
}

TEST_CASE("einsum agrees with the ops it lowers onto", "[unit][resample]") {
  Tensor a = iota({2, 3}), b = iota({3, 4}), sq = iota({3, 3});
  CHECK(max_abs_diff(einsum("ij,jk->ik", {a, b}), matmul(a, b)) == 0);
  CHECK(max_abs_diff(einsum("ij->ji", {a}), transpose(a, 0, 1)) == 0);
  CHECK(values_of(einsum("ii->i", {sq})) == Values{0, 4, 8});
  CHECK(einsum("ii", {sq}).item() == 12);
  CHECK(einsum("i,i->", {iota({4}), iota({4})}).item() == 14);
  CHECK(max_abs_diff(einsum("ij", {a}), a) == 0);
  CHECK(max_abs_diff(einsum("ba", {a}), transpose(a, 0, 1)) == 0);  // implicit: sorted 'ab'
  Tensor batched = iota({2, 2, 3});
  CHECK(max_abs_diff(einsum("...ij,jk->...ik", {batched, b}), matmul(batched, b)) == 0);
  CHECK(einsum("...,...->...", {iota({2}), iota({3, 1})}).shape() == Shape{3, 2});
}

TEST_CASE("einsum rejects bad equations", "[unit][resample][errors]") {
  Tensor a = zeros({2, 3}), b = zeros({3, 4});
  CHECK_THROWS_WITH(einsum("ij,jk->ik", {a}),
                    Catch::Contains("[einsum] equation 'ij,jk->ik' has 2 operand terms but 1"));
  CHECK_THROWS_WITH(einsum("i1,jk", {a, b}), Catch::Contains("subscripts are letters"));
  CHECK_THROWS_WITH(einsum("ij,jk->iz", {a, b}),
                    Catch::Contains("[einsum] equation 'ij,jk->iz': output label 'z' appears in "
                                    "no operand"));
  CHECK_THROWS_WITH(einsum("ij,jk->ii", {a, b}),
                    Catch::Contains("output label 'i' appears more than once"));
  CHECK_THROWS_WITH(einsum("ij,kj->ik", {a, b}),
                    Catch::Contains("label 'j' has sizes 3 and 4 (operand 1 [3, 4])"));
  CHECK_THROWS_WITH(einsum("ijk->i", {a}),
                    Catch::Contains("operand 0 [2, 3] has 2 dims but its subscripts name 3"));
  CHECK_THROWS_WITH(einsum("ii->i", {a}), Catch::Contains("label 'i' has sizes 2 and 3"));
  CHECK_THROWS_WITH(einsum("i..j.->i", {a}), Catch::Contains("'.' only as one \"...\""));
  CHECK_THROWS_WITH(einsum("", {}), Catch::Contains("[einsum] needs at least one operand"));
  CHECK_THROWS_WITH(einsum("ij,jk", {a, zeros({3, 4}, DType::f64)}),
                    Catch::Contains("[einsum] operands must share one dtype"));
}

TEST_CASE("BatchNorm2d and Upsample match PyTorch's modules", "[unit][resample][models]") {
  for (const test::FixtureCase& c :
       test::load_fixture_group(std::string(LATHE_SOURCE_DIR) +
                                "/tests/fixtures/models/resample.safetensors")) {
    INFO(c.name);
    auto at = [&](const std::string& what) { return c.at(what).to(default_device()); };
    Tensor x = at("in.x").clone();
    x.requires_grad_();
    if (c.meta["module"] == "Upsample") {
      InterpolateOptions o;
      o.size = c.meta["size"].get<Ints>();
      o.scale_factor = c.meta["scale_factor"].get<double>();
      o.mode = c.meta["mode"].get<std::string>();
      o.align_corners = c.meta["align_corners"].get<bool>();
      nn::Upsample up(o);
      Tensor y = up.forward(x);
      CHECK(max_abs_diff(y, at("out.y")) < 1e-12);
      sum(y * at("seed.y")).backward();
      CHECK(max_abs_diff(x.grad(), at("grad.x")) < 1e-12);
      continue;
    }
    nn::BatchNorm2d bn(c.meta["channels"].get<int64_t>(), c.meta["eps"].get<double>(),
                       c.meta["momentum"].get<double>(), c.meta["affine"].get<bool>(),
                       DType::f64);
    nn::StateDict state;
    for (const auto& [key, t] : c.tensors)
      if (key.rfind("param.", 0) == 0) state[key.substr(6)] = t.to(default_device());
    bn.load_state_dict(state);  // strict: PyTorch's keys, no more, no fewer
    bn.train();
    bn.forward(at("in.x0"));
    Tensor y = bn.forward(x);
    CHECK(max_abs_diff(y, at("out.y")) < 1e-12);
    sum(y * at("seed.y")).backward();
    CHECK(max_abs_diff(x.grad(), at("grad.x")) < 1e-12);
    for (const auto& [key, p] : bn.named_parameters()) {
      INFO(key);
      CHECK(max_abs_diff(p.grad(), at("grad." + key)) < 1e-11);
    }
    nn::StateDict after = bn.state_dict();
    for (const auto& [key, t] : c.tensors)
      if (key.rfind("after.", 0) == 0) {
        INFO(key);
        CHECK(max_abs_diff(after.at(key.substr(6)), at(key)) < 1e-12);
      }
    bn.eval();
    CHECK(max_abs_diff(bn.forward(at("in.x_eval")), at("out.y_eval")) < 1e-12);
  }
}

TEST_CASE("BatchNorm2d takes 4-D input only, with PyTorch's state-dict keys",
          "[unit][resample][models]") {
  nn::BatchNorm2d bn(3);
  CHECK_THROWS_WITH(bn.forward(zeros({2, 3, 4})),
                    Catch::Contains("[BatchNorm2d] expected x [N, C, H, W] (4 dims), got "
                                    "[2, 3, 4]"));
  std::vector<std::string> keys;
  for (const auto& [key, t] : bn.state_dict()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"bias", "num_batches_tracked", "running_mean",
                                         "running_var", "weight"});
  nn::AdaptiveAvgPool2d pool({1});
  CHECK(values_of(pool.forward(iota({1, 2, 2, 2}))) == Values{1.5, 5.5});
}
