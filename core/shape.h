// Shape and strides: a small inline vector of at most LATHE_MAX_DIMS extents (no heap traffic on
// the per-op path), plus the shape arithmetic every op shares: broadcasting, axis normalization.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace lathe {

class Shape {
 public:
  static constexpr int kMaxDims = LATHE_MAX_DIMS;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims);
  explicit Shape(const std::vector<int64_t>& dims);
  static Shape filled(int ndim, int64_t value);

  int size() const { return n_; }
  bool empty() const { return n_ == 0; }
  int64_t& operator[](int i) { return d_[i]; }
  int64_t operator[](int i) const { return d_[i]; }
  int64_t back() const { return d_[n_ - 1]; }
  const int64_t* begin() const { return d_; }
  const int64_t* end() const { return d_ + n_; }
  int64_t* begin() { return d_; }
  int64_t* end() { return d_ + n_; }

  void push_back(int64_t v);
  void insert(int pos, int64_t v);
  void erase(int pos);
  std::vector<int64_t> vec() const { return std::vector<int64_t>(begin(), end()); }

  bool operator==(const Shape& o) const;
  bool operator!=(const Shape& o) const { return !(*this == o); }

 private:
  int64_t d_[kMaxDims] = {};
  int n_ = 0;
};

using Axes = std::vector<int64_t>;

// "To the end of the axis", for slice bounds.
constexpr int64_t kEnd = INT64_MAX;

int64_t numel(const Shape& shape);
Shape contiguous_strides(const Shape& shape);

// Broadcast two shapes NumPy-style; `op` names the caller in the error.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Maps a possibly negative axis into [0, ndim); throws "[op] axis 3 out of range for 2 dims".
int normalize_axis(int64_t axis, int ndim, const char* op);

// Normalizes a list of axes (empty = all) into a sorted, duplicate-free bitmask.
uint32_t axes_mask(const Axes& axes, int ndim, const char* op);

std::string to_string(const Shape& s);
std::ostream& operator<<(std::ostream& os, const Shape& s);

}  // namespace lathe
