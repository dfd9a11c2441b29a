// crms_norm: a zero-mean vector of D entries is stored losslessly by its first D - 1 entries
// x [..., D - 1] (the dropped one is -sum x). CRMSNorm normalizes the compressed vector as if
// that entry were present:
//   S = sum x, Q = sum x^2 + S^2, y = x / sqrt(Q / D + eps), D = x.shape[-1] + 1.
// So for zero-mean v [..., D]: crms_norm(v[..., :-1]) == rms_norm(v)[..., :-1].
// Paper: "Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient Pre-LN
// Transformers" (Jiang et al., NeurIPS 2023). Code: ZixuanJiang/pre-rmsnorm-transformer,
// torch/customized_layer.py (crms_norm; no affine: gamma is folded into the next linear layer).
// Defaults: eps = 1e-5. An input that is not zero-mean in its full form still runs (the identity
// no longer holds). D - 1 = 0 gives an empty output.
// Composite: autograd gives dx = s g - (s^3 / D) (x + S) sum(g x), s = (Q / D + eps)^(-1/2).
#include "ops/norm/common.h"

namespace lathe {

Tensor crms_norm(const Tensor& x, double eps) {
  check_floating("crms_norm", x);
  LATHE_CHECK(x.dim() >= 1, "[crms_norm] expected x [..., D - 1], got a 0-d tensor");
  LATHE_CHECK(eps >= 0, "[crms_norm] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Tensor xs = norms::as_dtype(x, sd);
  double d = static_cast<double>(x.shape().back() + 1);
  Tensor s = sum(xs, {-1}, true);               // [..., 1]
  Tensor q = sum(xs * xs, {-1}, true) + s * s;  // [..., 1]
  return norms::as_dtype(xs * rsqrt(q / d + eps), x.dtype());
}

LATHE_REGISTER_OPS(crms_norm) {
  registry.add(OpDef("crms_norm", "normalization")
                   .summary("RMSNorm of a zero-mean vector stored without its last entry")
                   .paper("Pre-RMSNorm and Pre-CRMSNorm Transformers: Equivalent and Efficient "
                          "Pre-LN Transformers (Jiang et al., 2023)")
                   .input("x")
                   .attr("eps", 1e-5, "added to the mean square")
                   .output("y")
                   .run([](const OpCall& c) { return Outputs{crms_norm(c.in("x"), c.f("eps"))}; }));
}

}  // namespace lathe
