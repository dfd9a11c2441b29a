// Convolution modules: parameters and PyTorch's initialization; the math is ops/nn/conv.cpp.
#include "models/conv.h"

#include <cmath>

#include "core/random.h"

namespace lathe::nn {

namespace {
// kaiming_uniform(a = sqrt(5)) of a weight whose fan_in is `fan_in`: U(-b, b), b = 1/sqrt(fan_in)
// (gain sqrt(2 / (1 + a^2)) times sqrt(3 / fan_in)); PyTorch's bias uses the same bound.
double init_bound(int64_t fan_in) { return 1.0 / std::sqrt(static_cast<double>(fan_in)); }

std::vector<int64_t> kernel_of(const char* who, int dims, std::vector<int64_t> k) {
  if (k.size() == 1) k.assign(dims, k[0]);
  LATHE_CHECK(static_cast<int>(k.size()) == dims, "[", who, "] kernel_size takes 1 or ", dims,
              " values, got ", k.size());
  for (int64_t e : k) LATHE_CHECK(e >= 1, "[", who, "] kernel_size must be >= 1, got ", e);
  return k;
}
}  // namespace

Conv::Conv(int dims, int64_t in, int64_t out, std::vector<int64_t> kernel_size,
           const ConvOptions& o, bool with_bias, DType dtype, Device device)
    : options(o), dims_(dims) {
  const char* who = dims == 1 ? "Conv1d" : "Conv2d";
  LATHE_CHECK(in > 0 && out > 0 && o.groups >= 1 && in % o.groups == 0 && out % o.groups == 0,
              "[", who, "] channels must be positive and divisible by groups ", o.groups,
              ", got ", in, " -> ", out);
  std::vector<int64_t> k = kernel_of(who, dims, std::move(kernel_size));
  Shape w_shape{out, in / o.groups};
  int64_t fan_in = in / o.groups;
  for (int64_t e : k) {
    w_shape.push_back(e);
    fan_in *= e;
  }
  double b = init_bound(fan_in);
  weight = add_parameter("weight", uniform(w_shape, -b, b, dtype, device));
  if (with_bias) bias = add_parameter("bias", uniform({out}, -b, b, dtype, device));
}

Tensor Conv::forward(const Tensor& x) {
  return dims_ == 1 ? conv1d(x, weight, bias, options) : conv2d(x, weight, bias, options);
}

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, std::vector<int64_t> kernel_size,
                                 const ConvTransposeOptions& o, bool with_bias, DType dtype,
                                 Device device)
    : options(o) {
  LATHE_CHECK(in > 0 && out > 0 && o.groups >= 1 && in % o.groups == 0 && out % o.groups == 0,
              "[ConvTranspose2d] channels must be positive and divisible by groups ", o.groups,
              ", got ", in, " -> ", out);
  std::vector<int64_t> k = kernel_of("ConvTranspose2d", 2, std::move(kernel_size));
  double b = init_bound(out / o.groups * k[0] * k[1]);
  weight = add_parameter("weight", uniform({in, out / o.groups, k[0], k[1]}, -b, b, dtype,
                                           device));
  if (with_bias) bias = add_parameter("bias", uniform({out}, -b, b, dtype, device));
}

Tensor ConvTranspose2d::forward(const Tensor& x) {
  return conv_transpose2d(x, weight, bias, options);
}

}  // namespace lathe::nn
