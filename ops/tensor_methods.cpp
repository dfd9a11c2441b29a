// Tensor's methods that are ops: each forwards to the free function of ops/ops.h. core/tensor.h
// declares them; they are defined here, beside the ops, so that core/ needs no header from ops/
// (tests/core/layering.cmake checks it).
#include "ops/ops.h"

namespace lathe {

Tensor Tensor::reshape(const Shape& s) const { return lathe::reshape(*this, s); }
Tensor Tensor::permute(const Axes& dims) const { return lathe::permute(*this, dims); }
Tensor Tensor::transpose(int64_t d0, int64_t d1) const { return lathe::transpose(*this, d0, d1); }
Tensor Tensor::t() const { return lathe::transpose(*this, -2, -1); }
Tensor Tensor::expand(const Shape& s) const { return lathe::expand(*this, s); }
Tensor Tensor::slice(int64_t axis, int64_t start, int64_t end, int64_t step) const {
  return lathe::slice(*this, axis, start, end, step);
}
Tensor Tensor::narrow(int64_t axis, int64_t start, int64_t length) const {
  return lathe::narrow(*this, axis, start, length);
}
Tensor Tensor::squeeze(const Axes& axes) const { return lathe::squeeze(*this, axes); }
Tensor Tensor::unsqueeze(int64_t axis) const { return lathe::unsqueeze(*this, axis); }
Tensor Tensor::clone() const { return lathe::clone(*this); }
Tensor Tensor::to(DType t) const { return t == dtype() ? *this : lathe::cast(*this, t); }
Tensor Tensor::to(Device d) const { return d == device() ? *this : lathe::to_device(*this, d); }

}  // namespace lathe
