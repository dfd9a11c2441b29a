// relu_kan_basis: the ReLU-KAN basis, a square of two ReLUs in place of a B-spline.
//   R_i(x) = (r relu(x - s_i) relu(e_i - x))^2,  r = 4 g^2 / (k + 1)^2
// with s_i = (i - k) / g, e_i = s_i + (k + 1) / g (i = 0..g+k-1) at initialization; low = s and
// high = e are inputs (trainable in the reference, per feature [in, g + k] or shared [g + k]).
// x [..., in] -> [..., in, g + k]. With the initial phases every R_i peaks at 1.
// Paper: "AF-KAN: Activation Function-Based Kolmogorov-Arnold Networks for Efficient
// Representation Learning" (ReLU-KAN is its baseline). Defaults: g = 5, k = 3.
// Out of the support: R_i = 0 with zero gradient outside (s_i, e_i), also exactly at s_i and e_i
// (relu'(0) = 0, as in PyTorch); x outside every support gives all-zero bases.
// Gradient: 2 R_i^(1/2) r (1[x > s_i] relu(e_i - x) - relu(x - s_i) 1[x < e_i]) w.r.t. x.
//
// Checked against hoangthangta/All-KAN models/relu_kan.py (ReLUKANLayer.forward, r and phases;
// commit 825c8fb, whose last edit aeffc0c introduced the typo `/ gs` for `/ g` in phase_high;
// we follow the earlier, working line) and its source quiqi/relu_kan.
#include "core/checked.h"
#include "ops/kan/common.h"

namespace lathe {

Tensor relu_kan_basis(const Tensor& x, const Tensor& low, const Tensor& high, int64_t g,
                      int64_t k) {
  const char* op = "relu_kan_basis";
  check_floating(op, "x", x);
  LATHE_CHECK(g > 0 && k >= 0, "[relu_kan_basis] need g > 0 and k >= 0, got g = ", g, ", k = ", k);
  LATHE_CHECK(x.dim() >= 1, "[relu_kan_basis] x must be [..., in], got a 0-d tensor");
  kan::check_phases(op, x, low, high, checked_add(g, k, op));
  double gd = static_cast<double>(g), k1 = static_cast<double>(k) + 1.0;  // no int overflow
  double r = 4.0 * gd * gd / (k1 * k1);
  Tensor xe = kan::per_feature(x);                                         // [..., in, 1]
  Tensor t = relu(xe - low) * relu(high - xe) * r;                          // [..., in, g + k]
  return t * t;
}

LATHE_REGISTER_OPS(relu_kan_basis) {
  registry.add(OpDef("relu_kan_basis", "kan")
                   .summary("(r relu(x - low) relu(high - x))^2, r = 4 g^2 / (k + 1)^2: "
                            "[..., in] -> [..., in, g + k]")
                   .paper("AF-KAN: Activation Function-Based Kolmogorov-Arnold Networks for "
                          "Efficient Representation Learning")
                   .input("x")
                   .input("low")
                   .input("high")
                   .attr("g", 5, "grid size")
                   .attr("k", 3, "order")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{relu_kan_basis(c.in("x"), c.in("low"), c.in("high"), c.i("g"),
                                                   c.i("k"))};
                   }));
}

}  // namespace lathe
