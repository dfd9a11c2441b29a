// orthogonal_linear: the orthogonal weight of torch.nn.utils.parametrizations.orthogonal
// For X [n, k] (transposed first when n < k, and the result transposed back):
//   matrix_exp / cayley: A = L - L^T with L = tril(X) padded to [n, n] by zero columns,
//     Q = exp(A), or Cayley Q = (I - A/2)^-1 (I + A/2); keep Q's first k columns
//   householder: Q = H_1 ... H_k [:, :k], H_j = I - tau_j v_j v_j^T, v_j = e_j + tril(X, -1)[:, j],
//     tau_j = 2 / (1 + ||tril(X, -1)[:, j]||^2); then column j times trunc(X_jj) (a constant)
//   with a base (trivialization, PyTorch's default): W = base Q, base [n, n] orthogonal
// Paper: "BT^2: Backward-compatible Training with Basis Transformation" (Zhou et al., ICCV
// 2023); its code (YifeiZhou02/BT-2 models/resnet.py BasisChange) wraps
// torch.nn.utils.parametrizations.orthogonal(nn.Linear(d, d, bias=False)), whose forward
// (torch/nn/utils/parametrizations.py, _Orthogonal, PyTorch 1.13) this follows, including the
// householder path's sign quirk: the diagonal of X enters as X_jj.int() (its module keeps it at
// -1, see models/reparam.h). NOTE: the catalog says `original` starts at 0 under trivialization;
// PyTorch's right_inverse returns -I (the householder map of -I is I), which the module follows.
// Defaults: kind matrix_exp (PyTorch picks householder for non-square weights; the module does
// the same). Composite: gradients through matrix_exp's series (ops/reparam/matrix_exp.cpp), the
// Cayley map's solve, or the reflections' products.
#include "ops/composite.h"
#include "ops/linalg/common.h"
#include "ops/reparam/reparam.h"

namespace lathe {

namespace {

// The first k columns of H_1 ... H_k applied to the identity, PyTorch's householder_product.
Tensor householder_product(const Tensor& v_low, const Tensor& tau) {  // [n, k], [k]
  int64_t n = v_low.size(0), k = v_low.size(1);
  Tensor id = linalg::eye(n, v_low);                                  // [n, n]
  Tensor q = narrow(id, 1, 0, k);                                     // [n, k]
  for (int64_t j = k - 1; j >= 0; --j) {
    Tensor v = narrow(v_low, 1, j, 1) + narrow(id, 1, j, 1);          // [n, 1]
    Tensor t = narrow(tau, 0, j, 1);                                  // [1]
    q = q - t * matmul(v, matmul(transpose(v, 0, 1), q));             // [n, k]
  }
  return q;
}

}  // namespace

Tensor orthogonal_linear(const Tensor& x, const Tensor& base, const std::string& kind) {
  const char* op = "orthogonal_linear";
  check_floating(op, "x", x);
  check_dim(op, "x", x, 2);
  LATHE_CHECK(kind == "matrix_exp" || kind == "cayley" || kind == "householder", "[", op,
              "] kind must be matrix_exp, cayley or householder, got '", kind, "'");
  bool transposed = x.size(0) < x.size(1);
  Tensor xt = transposed ? transpose(x, 0, 1) : x;                    // [n, k], n >= k
  int64_t n = xt.size(0), k = xt.size(1);
  check_optional_shape(op, "base", base, {n, n});
  Tensor q;
  if (kind == "householder") {
    Tensor low = tril(xt, -1);                                        // [n, k]
    Tensor tau = 2.0 / (1.0 + sum(low * low, {0}));                   // [k]
    Tensor signs = trunc(diagonal(xt.detach()));                      // [k], a constant
    q = householder_product(low, tau) * reshape(signs, {1, k});       // [n, k]
  } else {
    Tensor low = tril(xt);                                            // [n, k]
    if (n != k) low = concat({low, zeros({n, n - k}, x.dtype(), x.device())}, 1);  // [n, n]
    Tensor a = low - transpose(low, 0, 1);                            // [n, n] skew
    if (kind == "matrix_exp") {
      q = matrix_exp(a);
    } else {
      Tensor id = linalg::eye(n, x);
      q = solve(id - 0.5 * a, id + 0.5 * a);
    }
    if (n != k) q = narrow(q, 1, 0, k);                               // [n, k]
  }
  if (base.defined()) q = matmul(base, q);                            // [n, k]
  return transposed ? transpose(q, 0, 1) : q;                         // x's shape
}

LATHE_REGISTER_OPS(orthogonal_linear) {
  registry.add(OpDef("orthogonal_linear", "reparam")
                   .summary("orthogonal weight base Q(X) of torch's orthogonal parametrization "
                            "(matrix_exp, cayley or householder)")
                   .paper("BT^2: Backward-compatible Training with Basis Transformation")
                   .input("x")
                   .input("base", Kind::floating, kOptional | kNoGrad)
                   .attr("kind", "matrix_exp", "matrix_exp | cayley | householder")
                   .output("weight")
                   .run([](const OpCall& c) {
                     return Outputs{orthogonal_linear(c.in("x"), c.in("base"), c.s("kind"))};
                   }));
}

}  // namespace lathe
