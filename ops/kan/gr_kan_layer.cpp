// gr_kan_layer: a GR-KAN layer of the Kolmogorov-Arnold Transformer.
//   y = group_rational(x; a, b) W^T + bias
// The per-edge functions phi_{o,d}(x_d) = W_{o,d} F_{g(d)}(x_d) share one rational function per
// channel group; the linear layer supplies the per-edge scale. x [..., D], weight [out, D],
// bias [out] (optional), numerator/denominator/variant as in group_rational -> [..., out].
// Paper: "Kolmogorov-Arnold Transformer" (Yang & Wang, ICLR 2025). The KAT block chains two:
// x -> F1 (identity init) -> dropout -> fc1 -> F2 (gelu init) -> dropout -> fc2.
// Edge cases: D not divisible by the group count is an error; with the identity initialization
// (a = [0, 1, 0, ...], b = 0) the layer equals linear(x, W, bias) exactly.
//
// Checked against Adamdad/kat katransformer.py (class KAN: act1 = KAT_Group(mode="identity")
// before fc1, act2 = KAT_Group(mode=act_init) before fc2) and Adamdad/rational_kat_cu
// kat_rational/kat_1dgroup.py (KAT_Group, commit 181bae8).
#include "ops/kan/common.h"

namespace lathe {

Tensor gr_kan_layer(const Tensor& x, const Tensor& numerator, const Tensor& denominator,
                    const Tensor& weight, const Tensor& bias, const std::string& variant) {
  const char* op = "gr_kan_layer";
  check_floating(op, "x", x);
  check_floating(op, "weight", weight);
  LATHE_CHECK(x.dim() >= 1 && weight.dim() == 2 && weight.size(1) == x.shape().back(),
              "[gr_kan_layer] weight must be [out, D = ", x.dim() ? x.shape().back() : 0,
              "], got ", weight.shape());
  check_floating(op, "denominator", denominator);
  LATHE_CHECK(denominator.dim() == 2 && denominator.size(0) > 0 &&
                  x.shape().back() % denominator.size(0) == 0,
              "[gr_kan_layer] the last dim of x ", x.shape(), " must split into the ",
              denominator.dim() == 2 ? denominator.size(0) : 0, " groups of denominator ",
              denominator.shape());
  if (bias.defined()) {
    check_floating(op, "bias", bias);
    check_shape(op, "bias", bias, {weight.size(0)});
  }
  return linear(group_rational(x, numerator, denominator, variant), weight, bias);  // [..., out]
}

LATHE_REGISTER_OPS(gr_kan_layer) {
  registry.add(OpDef("gr_kan_layer", "kan")
                   .summary("GR-KAN layer: linear(group_rational(x), weight, bias)")
                   .paper("Kolmogorov-Arnold Transformer")
                   .input("x")
                   .input("numerator")
                   .input("denominator")
                   .input("weight")
                   .input("bias", Kind::floating, kOptional)
                   .attr("variant", "paper",
                         "group_rational's denominator: paper | kernel | torch_ref")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{gr_kan_layer(c.in("x"), c.in("numerator"), c.in("denominator"),
                                                 c.in("weight"), c.in("bias"), c.s("variant"))};
                   }));
}

}  // namespace lathe
