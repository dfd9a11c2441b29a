#include "ops/hyperbolic/common.h"

#include <cmath>

namespace lathe::hyperbolic {

void check_curvature(const char* op, double c) {
  LATHE_CHECK(c > 0 && std::isfinite(c), "[", op, "] c must be > 0 (the negative curvature), got ",
              c);
}

Tensor sq_norm(const Tensor& x) { return sum(x * x, {-1}, true); }

Tensor row_norm(const Tensor& x) {
  Tensor x2 = sq_norm(x);                                   // [..., 1]
  Tensor nonzero = gt(x2, 0.0);
  return where(nonzero, sqrt(where(nonzero, x2, 1.0)), 0.0);
}

Tensor clamped_norm(const Tensor& x) { return sqrt(clamp(sq_norm(x), 1e-10)); }

Tensor artanh_clamped(const Tensor& x) {
  const double lim = 1.0 - 1e-5;
  Tensor z = x + (clamp(x, -lim, lim) - x).detach();  // value clamped, gradient 1
  return atanh(z);
}

Tensor tanh_clamped(const Tensor& x) { return tanh(clamp(x, -15.0, 15.0)); }

Tensor mobius_add_rows(const Tensor& x, const Tensor& y, double c) {
  Tensor x2 = sq_norm(x), y2 = sq_norm(y);                            // [..., 1]
  Tensor xy = sum(x * y, {-1}, true);                                 // [..., 1]
  Tensor num = (1.0 + 2.0 * c * xy + c * y2) * x + (1.0 - c * x2) * y;   // [..., D]
  Tensor den = 1.0 + 2.0 * c * xy + c * c * x2 * y2;                  // [..., 1]
  return num / (den + 1e-5);
}

}  // namespace lathe::hyperbolic
