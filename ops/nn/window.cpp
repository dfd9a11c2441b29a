// The sliding windows behind convolution and pooling (ops/nn/window.h): strided views of the
// padded input, one per kernel offset, so the composites stay a few public ops; and the pieces
// of a transposed convolution (zeros between samples, flipped weights) that conv_transpose and
// the input gradient of conv share.
#include "ops/nn/window.h"

#include <algorithm>
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

Tensor spread(const Tensor& x, int axis, int64_t s) {
  if (s == 1) return x;
  Shape shape = x.shape();
  int64_t n = shape[axis];
  Tensor z = unsqueeze(x, axis + 1);  // [..., S, 1, ...]
  std::vector<int64_t> pads(2 * (z.dim() - 1 - (axis + 1)), 0);
  pads.push_back(0);
  pads.push_back(s - 1);
  z = pad(z, pads);  // [..., S, s, ...]
  shape[axis] = n * s;
  return slice(reshape(z, shape), axis, 0, (n - 1) * s + 1);  // [..., (S - 1) s + 1, ...]
}

Tensor pad_or_crop(const Tensor& x, int axis, int64_t lo, int64_t hi) {
  Tensor y = x;
  int64_t n = y.shape()[axis];
  if (lo < 0 || hi < 0) {
    y = slice(y, axis, std::max<int64_t>(-lo, 0), n - std::max<int64_t>(-hi, 0));
  }
  if (lo > 0 || hi > 0) {
    std::vector<int64_t> pads(2 * (y.dim() - 1 - axis), 0);
    pads.push_back(std::max<int64_t>(lo, 0));
    pads.push_back(std::max<int64_t>(hi, 0));
    y = pad(y, pads);
  }
  return y;
}

Tensor flipped_transposed_weight(const Tensor& weight, int64_t g) {
  int d = weight.dim() - 2;
  int64_t c_in = weight.shape()[0], c_out = weight.shape()[1] * g;
  std::vector<int64_t> kernel(weight.shape().begin() + 2, weight.shape().end());
  Shape grouped{g, c_in / g, c_out / g};
  for (int64_t e : kernel) grouped.push_back(e);
  Tensor w = transpose(reshape(weight, grouped), 1, 2);  // [G, C_out/G, C_in/G, *K]
  Shape swapped{c_out, c_in / g};
  for (int64_t e : kernel) swapped.push_back(e);
  w = reshape(w, swapped);
  for (int i = 0; i < d; ++i) {
    if (kernel[i] == 1) continue;
    Tensor reversed = arange(static_cast<double>(kernel[i] - 1), -1.0, -1.0, DType::i64,
                             weight.device());
    w = index_select(w, reversed, 2 + i);
  }
  return w;
}

}  // namespace lathe
