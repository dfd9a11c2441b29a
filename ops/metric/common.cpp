// Helpers shared by the metric family's score ops (ops/metric/common.h).
#include "ops/metric/common.h"

#include "ops/composite.h"

namespace lathe {
namespace metric_detail {

void check_labels(const char* op, const char* name, const Tensor& labels, int64_t n,
                  int64_t classes) {
  LATHE_CHECK(is_integral(labels.dtype()), "[", op, "] ", name, " must be integers, got ",
              labels.dtype());
  LATHE_CHECK(labels.shape() == Shape{n}, "[", op, "] ", name, " must have shape ", Shape{n},
              ", got ", labels.shape());
  for (int64_t v : labels.to_vector<int64_t>())
    LATHE_CHECK(v >= 0 && v < classes, "[", op, "] ", name, " must be in [0, ", classes,
                "), got ", v);
}

std::vector<double> linspace(double lo, double hi, int64_t steps) {
  std::vector<double> out(static_cast<size_t>(steps));
  double step = steps > 1 ? (hi - lo) / static_cast<double>(steps - 1) : 0.0;
  for (int64_t i = 0; i < steps; ++i)
    out[i] = i < steps / 2 ? lo + step * static_cast<double>(i)
                           : hi - step * static_cast<double>(steps - 1 - i);
  return out;
}

Tensor unit_rows(const Tensor& x, int64_t axis) {
  Tensor sq = sum(x * x, {axis}, true);
  Tensor pos = gt(sq, 0.0);
  Tensor norm = where(pos, sqrt(where(pos, sq, 1.0)), 0.0);
  return x / maximum(norm, 1e-12);
}

}  // namespace metric_detail
}  // namespace lathe
