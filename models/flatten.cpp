#include "models/flatten.h"

namespace lathe::nn {

Flatten::Flatten(int64_t start, int64_t end) : start_axis(start), end_axis(end) {}

Tensor Flatten::forward(const Tensor& x) {
  int64_t n = x.dim();
  int64_t s = start_axis < 0 ? start_axis + n : start_axis;
  int64_t e = end_axis < 0 ? end_axis + n : end_axis;
  LATHE_CHECK(0 <= s && s <= e && e < n, "[Flatten] cannot flatten axes ", start_axis, " to ",
              end_axis, " of x ", x.shape());
  return x.flatten(s, e);
}

}  // namespace lathe::nn
