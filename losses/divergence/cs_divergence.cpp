// cs_divergence: the Cauchy-Schwarz divergence of two sample sets x [N, d] and y [M, d] through
// the Gaussian Gram K(a, b)_ij = exp(-|a_i - b_j|^2 / (2 sigma^2)):
//   D_CS(p || q) = -2 log(sum K(x,y) / (N M)) + log(sum K(x,x) / N^2) + log(sum K(y,y) / M^2)
// (natural log; the normalizations cancel for N = M and matter otherwise). >= 0 by
// Cauchy-Schwarz, 0 iff the kernel mean embeddings are parallel (identical sets give 0).
// A scalar over both sets (the loss declares its own reduction).
// Paper: "Cauchy-Schwarz Divergence Information Bottleneck for Regression" (Yu et al., ICLR
// 2024) (catalog: divergence.md, confidence 'official code': SJYuCNEL/Cauchy-Schwarz-
// Information-Bottleneck loss_cs.py, Two_Gaussian_example/cs_two_gaussian.py).
// Defaults: sigma 1.
// Numerics: squared distances as |a|^2 + |b|^2 - 2 a.b, taken in absolute value as the
// reference does (rounding can dip below 0); far-apart sets underflow K(x,y) to 0 and give inf,
// as in the reference.
// Gradient (autograd) through exp and log; the abs is smooth away from coincident points and
// its kink on the diagonal multiplies a zero derivative.
// Composite.
#include "losses/divergence/divergence.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor cs_gaussian_gram(const Tensor& x, const Tensor& y, double sigma) {
  Tensor xx = sum(x * x, {-1}, true);                                     // [N, 1]
  Tensor yy = reshape(sum(y * y, {-1}), {1, y.shape()[0]});               // [1, M]
  Tensor d2 = abs(xx + yy - 2.0 * matmul(x, transpose(y, 0, 1)));         // [N, M]
  return exp(d2 / (-2.0 * sigma * sigma));
}

Tensor cs_divergence(const Tensor& x, const Tensor& y, const CsDivergenceOptions& o) {
  const char* op = "cs_divergence";
  check_floating(op, "x", x);
  check_floating(op, "y", y);
  check_dim(op, "x", x, 2);
  check_dim(op, "y", y, 2);
  LATHE_CHECK(x.shape()[1] == y.shape()[1], "[", op, "] x ", x.shape(), " and y ", y.shape(),
              " must have the same feature size");
  LATHE_CHECK(x.shape()[0] > 0 && y.shape()[0] > 0, "[", op, "] x and y need samples");
  LATHE_CHECK(o.sigma > 0, "[", op, "] sigma must be > 0, got ", o.sigma);
  double n = static_cast<double>(x.shape()[0]), m = static_cast<double>(y.shape()[0]);
  Tensor kxy = sum(cs_gaussian_gram(x, y, o.sigma)) / (n * m);            // []
  Tensor kxx = sum(cs_gaussian_gram(x, x, o.sigma)) / (n * n);
  Tensor kyy = sum(cs_gaussian_gram(y, y, o.sigma)) / (m * m);
  return -2.0 * log(kxy) + log(kxx) + log(kyy);
}

LATHE_REGISTER_OPS(cs_divergence) {
  registry.add(OpDef("cs_divergence", "divergence")
                   .summary("Cauchy-Schwarz divergence of two sample sets through a Gaussian "
                            "kernel")
                   .paper("Cauchy-Schwarz Divergence Information Bottleneck for Regression")
                   .input("x")
                   .input("y")
                   .options<CsDivergenceOptions>()
                   .attr("sigma", &CsDivergenceOptions::sigma, "Gaussian kernel width > 0")
                   .own_reduction("a scalar over both sample sets")
                   .output("loss")
                   .run(cs_divergence));
}

}  // namespace lathe
