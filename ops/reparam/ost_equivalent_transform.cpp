// ost_equivalent_transform: OstQuant's learnable equivalent transformation of a linear layer
//   R = exp(tril(S, -1) - tril(S, -1)^T)   orthogonal;   lam = exp(log_scale) > 0
//   X' = (X / lam) R,   W' = R^T (lam W),  so  X' W' = X W  (without quantization)
// X [..., d], W [d, out], S [d, d], log_scale [d] -> (X' [..., d], W' [d, out]).
// Paper: "OstQuant: Refining Large Language Model Quantization with Orthogonal and Scaling
// Transformations for Better Distribution Fitting" (Hu et al., ICLR 2025, arXiv 2501.13987).
// Confidence "memory": the abstract confirms a learnable equivalent transformation made of an
// orthogonal and a scaling transformation (and the KL-Top loss); the side on which the scaling
// acts relative to R, the matrix_exp parametrization of R (the paper learns R on the Stiefel
// manifold with RiemannAdam; any parametrization gives the same forward) and the fusion points
// are the catalog's reading, kept here; the official repository could not be read in this
// round either. Activations and weights are fake-quantized after the transform by the caller
// (lsq_fake_quant); the module (models/reparam.h, OstLinear) does that with its own step sizes.
// Composite: gradients through matrix_exp (ops/reparam/matrix_exp.cpp) and exp.
#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

std::pair<Tensor, Tensor> ost_equivalent_transform(const Tensor& x, const Tensor& w,
                                                   const Tensor& s, const Tensor& log_scale) {
  const char* op = "ost_equivalent_transform";
  check_floating(op, "x", x);
  check_floating(op, "w", w);
  check_floating(op, "s", s);
  check_floating(op, "log_scale", log_scale);
  check_dim(op, "w", w, 2);
  int64_t d = w.size(0);
  LATHE_CHECK(x.dim() >= 1 && x.size(-1) == d, "[", op, "] x's last dim must be w's rows ", d,
              ", got ", x.shape());
  check_shape(op, "s", s, {d, d});
  check_shape(op, "log_scale", log_scale, {d});
  Tensor low = tril(s, -1);                                  // [d, d]
  Tensor r = matrix_exp(low - transpose(low, 0, 1));         // [d, d] orthogonal
  Tensor lam = exp(log_scale);                               // [d]
  Tensor xt = matmul(x / lam, r);                            // [..., d]
  Tensor wt = matmul(transpose(r, 0, 1), reshape(lam, {d, 1}) * w);  // [d, out]
  return {xt, wt};
}

LATHE_REGISTER_OPS(ost_equivalent_transform) {
  registry.add(OpDef("ost_equivalent_transform", "reparam")
                   .summary("OstQuant's equivalent transform (X / lam) R, R^T (lam W) with "
                            "R = exp(skew(S)), lam = exp(log_scale)")
                   .paper("OstQuant: Refining Large Language Model Quantization with Orthogonal "
                          "and Scaling Transformations for Better Distribution Fitting")
                   .input("x")
                   .input("w")
                   .input("s")
                   .input("log_scale")
                   .output("x_t")
                   .output("w_t")
                   .run([](const OpCall& c) {
                     auto [xt, wt] = ost_equivalent_transform(c.in("x"), c.in("w"), c.in("s"),
                                                              c.in("log_scale"));
                     return Outputs{xt, wt};
                   }));
}

}  // namespace lathe
