// What the KAN tests share: knot grids and phases as case data, fixture access, comparisons.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "lathe.h"
#include "ops/kan/kan.h"

namespace lathe::test::kan {

// efficient-kan's grid, row-major [in, G + 2k + 1]: arange(-k, G + k + 1) h + lo per feature.
inline std::vector<double> grid_values(int64_t in, int64_t g, int64_t k, double lo = -1.0,
                                       double hi = 1.0) {
  std::vector<double> v;
  double h = (hi - lo) / static_cast<double>(g);
  for (int64_t i = 0; i < in; ++i)
    for (int64_t j = -k; j <= g + k; ++j) v.push_back(static_cast<double>(j) * h + lo);
  return v;
}

// ReLU-KAN phases [rows, g + k] (rows 0: [g + k]): low_i = (i - k) / g, high_i = low_i + (k + 1)
// / g, each moved by a fixed pattern of at most `jitter` (as after training).
inline std::vector<double> phases(int64_t rows, int64_t g, int64_t k, bool high,
                                  double jitter = 0.0) {
  std::vector<double> v;
  for (int64_t r = 0; r < std::max<int64_t>(rows, 1); ++r)
    for (int64_t i = 0; i < g + k; ++i) {
      double low = static_cast<double>(i - k) / static_cast<double>(g);
      double base = high ? low + static_cast<double>(k + 1) / static_cast<double>(g) : low;
      v.push_back(base + jitter * std::sin(3.0 * static_cast<double>(r * (g + k) + i) +
                                           (high ? 1.0 : 0.0)));
    }
  return v;
}

// A tensor of the spline-fit fixtures, tests/fixtures/kan/fits.safetensors (tools/oracle/kan.py):
// `what` of fit `name` ("in.x", "out.grid", ...), a fresh copy on the default device, where
// modules are built.
inline Tensor load(const std::string& name, const std::string& what) {
  static const SafetensorsFile fits = load_safetensors(
      std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/kan/fits.safetensors", Device::reference());
  auto it = fits.tensors.find(name + "/" + what);
  LATHE_CHECK(it != fits.tensors.end(), "[test] fits.safetensors has no tensor ", name, "/", what);
  return it->second.to(default_device()).clone();
}

inline double max_abs_diff(const Tensor& a, const Tensor& b) {
  std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(x[i] - y[i]));
  return worst;
}

inline bool all_finite(const Tensor& t) {
  for (double v : t.to_vector<double>())
    if (!std::isfinite(v)) return false;
  return true;
}

inline Tensor f64(std::vector<double> v, Shape shape) { return from_vector(v, shape, DType::f64); }

}  // namespace lathe::test::kan
