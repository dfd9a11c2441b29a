// nested_dropout: keep the first k channels, zero the others (ordered, structured dropout)
//   y = x m_k,   m_k = [1]*k + [0]*(D - k) along `axis` (channel order matters; no rescaling)
// Paper: "Compressing Features for Learning with Noisy Labels" (Nested Co-teaching; catalog:
// layer.md, code yingyichen-cyy/Nested-Co-teaching). In training one k in {1..D} is drawn per
// mini-batch with P(k) proportional to exp(-((k - mu)/sigma)^2), mu 0, sigma the `--nested`
// flag (100 on Clothing1M); evaluation keeps every channel (or the first K picked on
// validation). Here k is an attribute: nested_dropout_sample_k draws it (the module
// nn::NestedDropout does it per call), so the op stays deterministic and gradcheckable.
// Backward: the same mask times the gradient (autograd). Composite.
#include <cmath>
#include <vector>

#include "ops/composite.h"
#include "ops/layer/layer.h"

namespace lathe {

Tensor nested_dropout(const Tensor& x, int64_t k, int64_t axis) {
  const char* op = "nested_dropout";
  check_floating(op, "x", x);
  LATHE_CHECK(axis >= -x.dim() && axis < x.dim(), "[", op, "] axis ", axis,
              " out of range for x ", x.shape());
  int64_t ax = axis < 0 ? axis + x.dim() : axis;
  int64_t d = x.shape()[ax];
  LATHE_CHECK(k >= 1 && k <= d, "[", op, "] k must be in [1, D = ", d, "], got ", k);
  Shape mshape(std::vector<int64_t>(x.dim(), 1));
  mshape[ax] = d;
  std::vector<double> m(d, 0.0);
  for (int64_t i = 0; i < k; ++i) m[i] = 1.0;
  Tensor mask = from_vector(m, mshape, x.dtype(), x.device());   // [1, D, 1, ...]
  return x * mask;
}

int64_t nested_dropout_sample_k(int64_t d, double sigma, double mu, double u) {
  const char* op = "nested_dropout";
  LATHE_CHECK(d >= 1, "[", op, "] D must be >= 1, got ", d);
  LATHE_CHECK(sigma > 0 && std::isfinite(sigma), "[", op, "] sigma must be > 0, got ", sigma);
  LATHE_CHECK(u >= 0 && u < 1, "[", op, "] u must be in [0, 1), got ", u);
  std::vector<double> p(d);
  double total = 0;
  for (int64_t k = 1; k <= d; ++k) {
    double z = (static_cast<double>(k) - mu) / sigma;
    p[k - 1] = std::exp(-z * z);
    total += p[k - 1];
  }
  LATHE_CHECK(total > 0, "[", op, "] every k has probability 0 (mu ", mu, " far beyond D ", d,
              " for sigma ", sigma, ")");
  double acc = 0;
  for (int64_t k = 1; k <= d; ++k) {
    acc += p[k - 1] / total;
    if (u < acc) return k;
  }
  return d;  // u within rounding of 1
}

LATHE_REGISTER_OPS(nested_dropout) {
  registry.add(OpDef("nested_dropout", "layer")
                   .summary("nested dropout: keep the first k channels along axis, zero the rest")
                   .paper("Compressing Features for Learning with Noisy Labels")
                   .input("x")
                   .attr("k", 1, "channels kept (the drop index), in [1, D]")
                   .attr("axis", 1, "the channel axis")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{nested_dropout(c.in("x"), c.i("k"), c.i("axis"))};
                   }));
}

}  // namespace lathe
