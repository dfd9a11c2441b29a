// Test cases for ops/kan/kan_linear.cpp; the module KANLinear/KAN (models/kan/kan_linear.cpp);
// the spline fits of ops/kan/kan_fit.cpp against tests/fixtures/kan/fits.safetensors (kan.py).
#include <catch2/catch.hpp>

#include <cmath>

#include "models/kan/kan.h"
#include "tests/ops/kan/helpers.h"
#include "tests/support/cases.h"

using lathe::test::kan::grid_values;

LATHE_CASES(kan_linear) {
  add(Case("kan_linear")
          .in("x", {4, 3}, -0.95, 0.95)
          .values("grid", {3, 12}, grid_values(3, 5, 3))
          .in("base_weight", {2, 3}, -1.0, 1.0)
          .in("spline_weight", {2, 3, 8}, -0.5, 0.5)
          .in("spline_scaler", {2, 3}, -1.0, 1.0)
          .note("[4,3] -> [4,2], G 5, k 3, standalone scaler"));
  // quadratic splines are only C1 at the knots (multiples of 2/3 from 1/3): values off them
  add(Case("kan_linear", "no_scaler")
          .values("x", {5, 2}, {-0.9, -0.2, 0.1, 0.5, 0.8, -0.6, 0.45, 0.0, -0.7, 0.65})
          .values("grid", {2, 8}, grid_values(2, 3, 2))
          .in("base_weight", {3, 2}, -1.0, 1.0)
          .in("spline_weight", {3, 2, 5}, -0.5, 0.5)
          .attr("spline_order", 2)
          .note("enable_standalone_scale_spline=False; G 3, k 2"));
  add(Case("kan_linear", "leading_dims_tanh")
          .in("x", {2, 2, 3}, -0.95, 0.95)
          .values("grid", {3, 12}, grid_values(3, 5, 3))
          .in("base_weight", {2, 3}, -1.0, 1.0)
          .in("spline_weight", {2, 3, 8}, -0.5, 0.5)
          .in("spline_scaler", {2, 3}, -1.0, 1.0)
          .attr("base_activation", "tanh")
          .note("x [2,2,3] flattened to [4,3] and restored, tanh base"));
  add(Case("kan_linear", "leading_dims")
          .in("x", {2, 2, 3}, -0.95, 0.95)
          .values("grid", {3, 12}, grid_values(3, 5, 3))
          .normal("base_weight", {2, 3}, 0.5)
          .normal("spline_weight", {2, 3, 8}, 0.3)
          .normal("spline_scaler", {2, 3})
          .oracle_only("leading_dims_tanh gradchecks the same reshape")
          .note("x [2,2,3] flattened to [4,3] and restored"));
  // Beyond the extended grid [-2.2, 2.2): only the SiLU branch carries value and gradient.
  add(Case("kan_linear", "outside_grid")
          .values("x", {3, 3}, {2.5, -3.0, 0.3, -2.7, 4.0, 2.3, 0.1, -0.7, 10.0})
          .values("grid", {3, 12}, grid_values(3, 5, 3))
          .in("base_weight", {2, 3}, -1.0, 1.0)
          .in("spline_weight", {2, 3, 8}, -0.5, 0.5)
          .in("spline_scaler", {2, 3}, -1.0, 1.0)
          .note("inputs beyond the extended grid [-2.2, 2.2): only the SiLU branch acts there"));
  add(Case("kan_linear", "gelu_base")
          .in("x", {3, 2}, -0.95, 0.95)
          .values("grid", {2, 12}, grid_values(2, 5, 3))
          .normal("base_weight", {2, 2}, 0.5)
          .normal("spline_weight", {2, 2, 8}, 0.3)
          .normal("spline_scaler", {2, 2})
          .attr("base_activation", "gelu")
          .note("base_activation gelu"));
}

namespace {
using namespace lathe;
using lathe::test::kan::all_finite;
using lathe::test::kan::f64;
using lathe::test::kan::load;
using lathe::test::kan::max_abs_diff;

// The spline branch per edge on x: sum_c B(x)[n, i, c] w[o, i, c] -> [N, in, out].
Tensor edge_curves(const Tensor& x, const Tensor& grid, const Tensor& w, int64_t k = 3) {
  return matmul(permute(bspline_basis(x, grid, k), {1, 0, 2}), permute(w, {1, 2, 0}));
}
}  // namespace

TEST_CASE("kan_linear: outside the grid only the base branch acts", "[unit][kan]") {
  Tensor grid = kan_grid(2, 5, 3, -1.0, 1.0, DType::f64);
  Tensor x = f64({3.0, -2.5, -40.0, 2.2}, {2, 2});
  Tensor wb = f64({0.5, -1.0, 0.25, 2.0}, {2, 2});
  Tensor ws = normal({2, 2, 8}, 0.0, 1.0, DType::f64);
  Tensor y = kan_linear(x, grid, wb, ws, normal({2, 2}, 0.0, 1.0, DType::f64));
  CHECK(max_abs_diff(y, linear(silu(x), wb)) == 0.0);
}

TEST_CASE("kan_curve2coeff reproduces efficient-kan's initialization fit", "[unit][kan]") {
  const char* name = "curve2coeff_init";
  Tensor coef = kan_curve2coeff(load(name, "in.x"), load(name, "in.y"),
                                load(name, "in.grid"), 3);
  CHECK(max_abs_diff(coef, load(name, "out.coeff")) < 1e-12);
}

TEST_CASE("kan_update_grid reproduces the reference grid and refit", "[unit][kan]") {
  for (const char* name : {"update_grid_plain", "update_grid_scaler", "update_grid_repeated"}) {
    INFO(name);
    Tensor x = load(name, "in.x"), grid = load(name, "in.grid");
    Tensor w = load(name, "in.spline_weight");
    KanGridUpdate u = kan_update_grid(x, grid, w, 3, 0.02, 0.01);
    CHECK(max_abs_diff(u.grid, load(name, "out.grid")) < 1e-13);
    CHECK(max_abs_diff(u.spline_weight, load(name, "out.spline_weight")) < 1e-9);
    // The new grid is strictly increasing even for repeated values (degenerate quantiles).
    std::vector<double> g = u.grid.to_vector<double>();
    for (size_t j = 1; j < g.size(); ++j)
      if (j % 12) CHECK(g[j] > g[j - 1]);
    // The edges' curves on the batch change only by the least-squares residual.
    double drift = max_abs_diff(edge_curves(x, u.grid, u.spline_weight), edge_curves(x, grid, w));
    CHECK(drift <= load(name, "out.residual").item() + 1e-9);
  }
}

TEST_CASE("KANLinear.update_grid keeps the layer's function with the standalone scaler",
          "[unit][kan][module]") {
  // efficient-kan refits the scaled curves into the unscaled weights (the scaler then applies
  // twice); the module refits the unscaled ones, so y changes only by the fit's residual.
  const char* name = "update_grid_scaler";
  nn::KANLinearOptions o;
  o.dtype = DType::f64;
  nn::KANLinear layer(3, 2, o);
  layer.load_state_dict({{"grid", load(name, "in.grid")},
                         {"base_weight", layer.base_weight.detach()},
                         {"spline_weight", load(name, "in.spline_weight")},
                         {"spline_scaler", load(name, "in.spline_scaler")}});
  Tensor x = load(name, "in.x");
  Tensor before = layer.forward(x).detach();
  layer.update_grid(x);
  CHECK(max_abs_diff(layer.grid, load(name, "out.grid")) < 1e-13);
  CHECK(max_abs_diff(layer.spline_weight, load(name, "out.spline_weight")) < 1e-9);
  double scaler_max = max(abs(layer.spline_scaler)).item();
  double residual = load(name, "out.residual").item();
  CHECK(max_abs_diff(layer.forward(x), before) <= 3 * scaler_max * residual + 1e-9);
  CHECK(layer.spline_weight.requires_grad());
  CHECK_FALSE(layer.grid.requires_grad());
}

TEST_CASE("kan_regularization_loss matches efficient-kan, and 0 log 0 = 0", "[unit][kan]") {
  const char* name = "regularization";
  Tensor w = load(name, "in.spline_weight").requires_grad_();
  Tensor loss = kan_regularization_loss(w, 0.7, 0.3);
  CHECK(loss.item() == Approx(load(name, "out.loss").item()).epsilon(1e-12));
  loss.backward();
  CHECK(max_abs_diff(w.grad(), load(name, "out.grad")) < 1e-12);
  // efficient-kan gives NaN when a whole edge (or every edge) has zero spline weights.
  Tensor z = zeros({2, 3, 8}, DType::f64);
  z.narrow(0, 0, 1).fill_(0.5);
  CHECK(std::isfinite(kan_regularization_loss(z).item()));
  CHECK(kan_regularization_loss(zeros({2, 3, 8}, DType::f64)).item() == 0.0);
}

TEST_CASE("KANLinear initializes as efficient-kan", "[unit][kan][module]") {
  nn::KANLinearOptions o;
  o.dtype = DType::f64;
  nn::KANLinear layer(4, 3, o);
  CHECK(max_abs_diff(layer.grid, kan_grid(4, 5, 3, -1.0, 1.0, DType::f64)) == 0.0);
  REQUIRE(layer.spline_weight.shape() == Shape{3, 4, 8});
  // kaiming_uniform(a = sqrt 5) on fan_in 4: U(-1/2, 1/2).
  for (const Tensor& t : {layer.base_weight, layer.spline_scaler})
    CHECK(max(abs(t)).item() <= 0.5);
  // The spline interpolates the noise (U[0,1) - 1/2) 0.1 / 5 at the 6 interior knots.
  Tensor knots = transpose(slice(layer.grid, 1, 3, 9), 0, 1);            // [6, 4]
  Tensor curves = edge_curves(knots, layer.grid, layer.spline_weight);     // [4, 6, 3]
  double top = max(abs(curves)).item();
  CHECK(top <= 0.01 + 1e-12);
  CHECK(top > 0.001);
  std::vector<std::string> names;
  for (auto& [n, t] : layer.named_parameters()) names.push_back(n);
  CHECK(names == std::vector<std::string>{"base_weight", "spline_weight", "spline_scaler"});
  CHECK(layer.named_buffers()[0].first == "grid");

  o.enable_standalone_scale_spline = false;
  nn::KANLinear plain(4, 3, o);
  CHECK_FALSE(plain.spline_scaler.defined());
  CHECK(plain.named_parameters().size() == 2);
}

TEST_CASE("KAN state dicts round trip, grids included", "[unit][kan][module]") {
  nn::KANLinearOptions o;
  o.dtype = DType::f64;
  nn::KAN a({3, 4, 2}, o), b({3, 4, 2}, o);
  Tensor x = uniform({11, 3}, -0.9, 0.9, DType::f64);
  Tensor updated = a.update_grid(x);                                       // moves a's grids
  CHECK(max_abs_diff(updated, a.forward(x)) < 1e-12);
  CHECK(max_abs_diff(a.layers[0]->grid, b.layers[0]->grid) > 0.01);
  nn::StateDict s = a.state_dict();
  CHECK(s.count("layers.0.grid"));
  CHECK(s.count("layers.1.spline_scaler"));
  CHECK(s.size() == 8);
  b.load_state_dict(s);
  CHECK(max_abs_diff(b.forward(x), a.forward(x)) == 0.0);
  Tensor reg = a.regularization_loss();
  CHECK(reg.item() == Approx(a.layers[0]->regularization_loss().item() +
                             a.layers[1]->regularization_loss().item()));
}

TEST_CASE("kan_linear and KANLinear: bad inputs name the op", "[unit][kan][errors]") {
  Tensor grid = kan_grid(3, 5, 3, -1.0, 1.0, DType::f64);
  Tensor x = zeros({4, 3}, DType::f64), wb = zeros({2, 3}, DType::f64);
  Tensor ws = zeros({2, 3, 8}, DType::f64);
  CHECK_THROWS_WITH(kan_linear(x, grid, zeros({2, 4}, DType::f64), ws),
                    Catch::Contains("[kan_linear] base_weight must be [out, in = 3]"));
  CHECK_THROWS_WITH(kan_linear(x, grid, wb, zeros({2, 3, 7}, DType::f64)),
                    Catch::Contains("[kan_linear] spline_weight must have shape [2, 3, 8]"));
  CHECK_THROWS_WITH(kan_linear(x, grid, wb, ws, zeros({3, 2}, DType::f64)),
                    Catch::Contains("[kan_linear] spline_scaler must have shape [2, 3]"));
  CHECK_THROWS_WITH(kan_linear(x, grid, wb, ws, Tensor(), 3, "swish"),
                    Catch::Contains("[kan_linear] unknown activation 'swish'"));
  CHECK_THROWS_WITH(kan_update_grid(zeros({2, 4, 3}, DType::f64), grid, ws),
                    Catch::Contains("[kan_update_grid] x must be [N > 0, in]"));
  CHECK_THROWS_WITH(kan_curve2coeff(x, zeros({5, 3, 2}, DType::f64), grid),
                    Catch::Contains("[kan_curve2coeff] y must be [N = 4"));
  CHECK_THROWS_WITH(nn::KANLinear(0, 2), Catch::Contains("[KANLinear]"));
  nn::KANLinearOptions o;
  o.base_activation = "swish";
  CHECK_THROWS_WITH(nn::KANLinear(2, 2, o), Catch::Contains("[KANLinear] unknown activation"));
  CHECK_THROWS_WITH(nn::KAN({3}), Catch::Contains("[KAN]"));
  CHECK(all_finite(kan_linear(x, grid, wb, ws)));
}
