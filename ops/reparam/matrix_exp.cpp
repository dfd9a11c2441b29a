// matrix_exp: exp(A) for square matrices [..., n, n], by scaling and squaring
//   T = A / 2^s with ||A||_1 / 2^s <= 1/2,  exp(T) = sum_{j <= 18} T^j / j!  (Horner),
//   exp(A) = exp(T)^(2^s)
// The Taylor remainder at ||T|| <= 1/2 is below 0.5^19 / 19! ~ 2e-23, under f64's rounding.
// A composite of matmuls, so its Frechet derivative and every higher order come from autograd
// (torch.matrix_exp uses a Pade/Taylor kernel with a hand-written backward; the values agree to
// rounding). s is read from A's values without gradient (a piecewise-constant choice).
// Used by orthogonal_linear and ost_equivalent_transform; not registered on its own (a general
// linear-algebra op would belong in ops/linalg/).
#include <cmath>

#include "ops/composite.h"
#include "ops/linalg/common.h"
#include "ops/reparam/reparam.h"

namespace lathe {

Tensor matrix_exp(const Tensor& a) {
  LATHE_CHECK(a.dim() >= 2 && a.size(-1) == a.size(-2), "[matrix_exp] expected square "
              "matrices [..., n, n], got ", a.shape());
  int64_t n = a.size(-1);
  double norm1;
  {
    NoGradGuard no_grad;
    norm1 = max(sum(abs(a), {-2})).item();                   // the largest column sum
  }
  LATHE_CHECK(std::isfinite(norm1), "[matrix_exp] A has non-finite values");
  int squarings = norm1 > 0.5 ? static_cast<int>(std::ceil(std::log2(norm1 / 0.5))) : 0;
  Tensor t = a * std::ldexp(1.0, -squarings);                 // [..., n, n]
  Tensor id = linalg::eye(n, a);                                    // [n, n]
  Tensor e = id;
  for (int j = 18; j >= 1; --j) e = id + matmul(t, e) / static_cast<double>(j);
  for (int i = 0; i < squarings; ++i) e = matmul(e, e);
  return e;                                                   // [..., n, n]
}

}  // namespace lathe
