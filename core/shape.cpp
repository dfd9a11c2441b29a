#include "core/shape.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "core/checked.h"
#include "core/error.h"

namespace lathe {

Shape::Shape(std::initializer_list<int64_t> dims) {
  LATHE_CHECK(dims.size() <= kMaxDims, "[shape] at most ", kMaxDims, " dims, got ", dims.size());
  for (int64_t v : dims) d_[n_++] = v;
}

Shape::Shape(const std::vector<int64_t>& dims) {
  LATHE_CHECK(dims.size() <= kMaxDims, "[shape] at most ", kMaxDims, " dims, got ", dims.size());
  for (int64_t v : dims) d_[n_++] = v;
}

Shape Shape::filled(int ndim, int64_t value) {
  Shape s;
  for (int i = 0; i < ndim; ++i) s.push_back(value);
  return s;
}

void Shape::push_back(int64_t v) {
  LATHE_CHECK(n_ < kMaxDims, "[shape] at most ", kMaxDims, " dims");
  d_[n_++] = v;
}

void Shape::insert(int pos, int64_t v) {
  LATHE_CHECK(n_ < kMaxDims, "[shape] at most ", kMaxDims, " dims");
  for (int i = n_; i > pos; --i) d_[i] = d_[i - 1];
  d_[pos] = v;
  ++n_;
}

void Shape::erase(int pos) {
  for (int i = pos; i + 1 < n_; ++i) d_[i] = d_[i + 1];
  --n_;
}

bool Shape::operator==(const Shape& o) const {
  if (n_ != o.n_) return false;
  for (int i = 0; i < n_; ++i)
    if (d_[i] != o.d_[i]) return false;
  return true;
}

int64_t checked_mul(int64_t a, int64_t b, const char* op) {
  int64_t r;
  LATHE_CHECK(!__builtin_mul_overflow(a, b, &r), "[", op, "] size arithmetic overflows: ", a,
              " * ", b);
  return r;
}

int64_t checked_add(int64_t a, int64_t b, const char* op) {
  int64_t r;
  LATHE_CHECK(!__builtin_add_overflow(a, b, &r), "[", op, "] size arithmetic overflows: ", a,
              " + ", b);
  return r;
}

int64_t checked_numel(const Shape& shape, const char* op) {
  int64_t n = 1;
  bool overflow = false;
  for (int64_t d : shape) {
    LATHE_CHECK(d >= 0, "[", op, "] negative extent in shape ", shape);
    // A zero extent anywhere makes the count 0 even when the other extents overflow together.
    if (d == 0) return 0;
    if (!overflow) overflow = __builtin_mul_overflow(n, d, &n);
  }
  LATHE_CHECK(!overflow, "[", op, "] shape ", shape, " has more than 2^63 - 1 elements");
  return n;
}

size_t checked_nbytes(const Shape& shape, size_t itemsize, const char* op) {
  int64_t n = checked_numel(shape, op);
  int64_t bytes;
  LATHE_CHECK(!__builtin_mul_overflow(n, static_cast<int64_t>(itemsize), &bytes), "[", op,
              "] shape ", shape, " needs more than 2^63 - 1 bytes");
  return static_cast<size_t>(bytes);
}

// Unchecked callers pass shapes that went through checked_numel when their tensor was made, but
// a shape built by arithmetic may not have: the product is still checked, never wrapped.
int64_t numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d == 0) return 0;
    LATHE_CHECK(!__builtin_mul_overflow(n, d, &n), "[shape] shape ", shape,
                " has more than 2^63 - 1 elements");
  }
  return n;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides = Shape::filled(shape.size(), 1);
  for (int i = shape.size() - 2; i >= 0; --i)
    strides[i] = checked_mul(strides[i + 1], std::max<int64_t>(shape[i + 1], 1), "strides");
  return strides;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  int n = std::max(a.size(), b.size());
  Shape out = Shape::filled(n, 1);
  for (int i = 0; i < n; ++i) {
    int ia = a.size() - n + i, ib = b.size() - n + i;
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    LATHE_CHECK(da == db || da == 1 || db == 1, "[", op, "] shapes ", a, " and ", b,
                " cannot be broadcast together");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

int normalize_axis(int64_t axis, int ndim, const char* op) {
  int64_t lo = -std::max(ndim, 1), hi = std::max(ndim, 1) - 1;
  LATHE_CHECK(axis >= lo && axis <= hi, "[", op, "] axis ", axis, " out of range for a tensor of ",
              ndim, " dims");
  return static_cast<int>(axis < 0 ? axis + std::max(ndim, 1) : axis);
}

uint32_t axes_mask(const Axes& axes, int ndim, const char* op) {
  if (axes.empty()) return ndim == 0 ? 0u : (1u << ndim) - 1u;
  uint32_t mask = 0;
  for (int64_t a : axes) {
    int ax = normalize_axis(a, ndim, op);
    LATHE_CHECK(!(mask & (1u << ax)), "[", op, "] axis ", a, " given twice");
    mask |= 1u << ax;
  }
  return mask;
}

std::string to_string(const Shape& s) {
  std::ostringstream os;
  os << s;
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Shape& s) {
  os << '[';
  for (int i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  return os << ']';
}

}  // namespace lathe
