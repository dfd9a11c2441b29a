// soft_topk: DEXML's soft top-k operator. Per row x [L] of scores [B, L], the shift t with
//   sum_l sigmoid(alpha (x_l + t)) = k
// is found by bisection in [-max(x) - 10/alpha, -min(x) + 10/alpha] (n_iter steps, no
// gradient); the output is sigmoid(alpha (x + t)) [B, L] (soft top-k membership: rows sum to
// k) or, with log, logsigmoid(alpha (x + t)) (= -softplus(-z), stable).
// Paper: "Dual-Encoders for Extreme Multi-Label Classification" (DEXML; catalog: ranking.md;
// official code nilesh2797/DEXML utils/topk_utils.py TopK, DistLogTopK, adapted from a public
// gist).
// Defaults: k 5, alpha 2, n_iter 32 (64 in some configs), log false.
// Defined backward (implicit differentiation; none through the bisection): with
// s = sigmoid(alpha (x + t)) and v = alpha s (1 - s), dt/dx = -v^T / sum v. It is realized by
// a linearized shift t_lin = t - sum(v (x - sg(x))) / sum(v) (value t, gradient dt/dx, v a
// constant), so the first-order gradient is the implicit one (J = diag(v) - v v^T / sum v for
// the sigmoid output); finite differences agree when t is solved to machine precision
// (n_iter >= 64). Second order is not the implicit function's (v is held constant).
// k must lie in (0, L): otherwise no root is inside the bracket (an error naming the op).
// Composite.
#include "ops/composite.h"
#include "ops/select/select.h"

namespace lathe {

Tensor soft_topk_shift(const Tensor& x, double k, double alpha, int64_t n_iter) {
  const char* op = "soft_topk";
  check_floating(op, "x", x);
  check_dim(op, "x", x, 2);
  LATHE_CHECK(alpha > 0, "[", op, "] alpha must be > 0, got ", alpha);
  LATHE_CHECK(n_iter >= 1, "[", op, "] n_iter must be >= 1, got ", n_iter);
  int64_t l = x.shape()[1];
  LATHE_CHECK(k > 0 && k < static_cast<double>(l), "[", op, "] k must be in (0, L = ", l,
              "), got ", k);
  NoGradGuard no_grad;
  Tensor xd = x.detach();
  Tensor lo = -max(xd, {1}, true) - 10.0 / alpha;                      // [B, 1]
  Tensor hi = -min(xd, {1}, true) + 10.0 / alpha;                      // [B, 1]
  for (int64_t i = 0; i < n_iter; ++i) {
    Tensor mid = 0.5 * (lo + hi);                                      // [B, 1]
    Tensor below = lt(sum(sigmoid(alpha * (xd + mid)), {1}, true), k); // [B, 1]
    lo = where(below, mid, lo);
    hi = where(below, hi, mid);
  }
  return 0.5 * (lo + hi);                                              // [B, 1]
}

Tensor soft_topk(const Tensor& x, double k, double alpha, int64_t n_iter, bool log) {
  Tensor t = soft_topk_shift(x, k, alpha, n_iter);                     // [B, 1] constant
  Tensor s = sigmoid(alpha * (x.detach() + t));                        // [B, L]
  Tensor v = alpha * s * (1.0 - s);                                    // [B, L] constant
  Tensor t_lin = t - sum(v * (x - x.detach()), {1}, true) / sum(v, {1}, true);   // [B, 1]
  Tensor z = alpha * (x + t_lin);                                      // [B, L]
  return log ? -softplus(-z) : sigmoid(z);
}

LATHE_REGISTER_OPS(soft_topk) {
  registry.add(OpDef("soft_topk", "nn")
                   .summary("soft top-k membership sigmoid(alpha (x + t)), t by bisection")
                   .paper("Dual-Encoders for Extreme Multi-Label Classification")
                   .input("x")
                   .attr("k", 5.0, "the soft count per row, in (0, L)")
                   .attr("alpha", 2.0, "sharpness > 0")
                   .attr("n_iter", 32, "bisection steps (>= 64 for machine precision)")
                   .attr("log", false, "return logsigmoid instead of sigmoid")
                   .custom_backward("implicit gradient of the bisection's root t (none through "
                                    "the iterations); first order only")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{soft_topk(c.in("x"), c.f("k"), c.f("alpha"), c.i("n_iter"),
                                              c.b("log"))};
                   }));
}

}  // namespace lathe
