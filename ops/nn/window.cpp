// The sliding windows behind convolution and pooling (ops/nn/window.h): strided views of the
// padded input, one per kernel offset, so the composites stay a few public ops.
#include "ops/nn/window.h"

#include <sstream>

#include "ops/composite.h"

namespace lathe {

std::string shape_text(const std::vector<int64_t>& v) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
  s << "]";
  return s.str();
}

std::vector<int64_t> per_dim(const char* op, const char* name, const std::vector<int64_t>& v,
                             int d, int64_t min_value) {
  LATHE_CHECK(v.size() == 1 || static_cast<int>(v.size()) == d, "[", op, "] ", name,
              " takes 1 or ", d, " values, got ", shape_text(v));
  std::vector<int64_t> out = v.size() == 1 ? std::vector<int64_t>(d, v[0]) : v;
  for (int64_t e : out)
    LATHE_CHECK(e >= min_value, "[", op, "] ", name, " must be >= ", min_value, ", got ",
                shape_text(v));
  return out;
}

Tensor batched_input(const char* op, const Tensor& x, int d) {
  check_floating(op, "x", x);
  LATHE_CHECK(x.dim() == d + 2 || x.dim() == d + 1, "[", op, "] x must be [N, C, *spatial] (",
              d + 2, " dims) or [C, *spatial] (", d + 1, " dims), got ", x.shape());
  return x.dim() == d + 1 ? unsqueeze(x, 0) : x;
}

std::vector<Tensor> windows(const Tensor& xp, const std::vector<int64_t>& kernel,
                            const std::vector<int64_t>& stride,
                            const std::vector<int64_t>& dilation,
                            const std::vector<int64_t>& out) {
  int d = static_cast<int>(kernel.size());
  int64_t taps = 1;
  for (int64_t k : kernel) taps *= k;
  std::vector<Tensor> result;
  result.reserve(taps);
  for (int64_t t = 0; t < taps; ++t) {
    Tensor w = xp;  // [N, C, *P] -> [N, C, *out]
    int64_t rest = t;
    for (int i = d - 1; i >= 0; --i) {  // row-major: the last dim's offset varies fastest
      int64_t k = rest % kernel[i];
      rest /= kernel[i];
      int64_t start = k * dilation[i];
      w = slice(w, 2 + i, start, start + (out[i] - 1) * stride[i] + 1, stride[i]);
    }
    result.push_back(w);
  }
  return result;
}

}  // namespace lathe
