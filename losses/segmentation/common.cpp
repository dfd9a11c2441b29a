// The segmentation family's internal helpers (losses/segmentation/common.h).
#include "losses/segmentation/common.h"

#include <cmath>

#include "ops/composite.h"

namespace lathe {
namespace seg {

void check_dense(const char* op, const char* name, const Tensor& t, int min_dim) {
  check_floating(op, name, t);
  LATHE_CHECK(t.dim() >= min_dim, "[", op, "] ", name, " must be [B, C, spatial...] (at least ",
              min_dim, " dims), got ", t.shape());
}

void check_probabilities(const char* op, const char* name, const Tensor& t) {
  if (t.numel() == 0) return;
  NoGradGuard no_grad;
  double lo = min(t.detach()).item(), hi = max(t.detach()).item();
  LATHE_CHECK(lo >= 0.0 && hi <= 1.0, "[", op, "] ", name,
              " must lie in [0, 1] (probabilities), got values in [", lo, ", ", hi, "]");
}

Axes spatial_axes(const Tensor& t) {
  Axes ax;
  for (int64_t d = 2; d < t.dim(); ++d) ax.push_back(d);
  return ax;
}

Tensor negative_dice(const Tensor& p, const Tensor& g, const Tensor& w) {
  Axes ax = spatial_axes(p);
  Tensor num = 2.0 * sum(p * g, ax) + 1e-5;                             // [B, C]
  Tensor den = clamp(sum(g, ax) + sum(p, ax) + 1e-5, 1e-8);             // [B, C]
  Tensor d = num / den;
  if (w.defined()) d = w.detach() * d;
  return -mean(d);
}

std::vector<double> distance_transform(const std::vector<double>& img,
                                       const std::vector<int64_t>& dims) {
  const double inf = 1e20;
  std::vector<double> f(img.size());
  for (size_t i = 0; i < img.size(); ++i) f[i] = img[i] != 0.0 ? inf : 0.0;
  int64_t total = static_cast<int64_t>(img.size());
  int64_t stride = total;
  for (int64_t n : dims) {
    // lines along this axis: element (line start) + q * step, q < n
    stride /= n;
    int64_t step = stride;
    std::vector<double> g(n), z(n + 1);
    std::vector<int64_t> v(n);
    for (int64_t start = 0; start < total; ++start) {
      if ((start / step) % n != 0) continue;  // not the first element of its line
      for (int64_t q = 0; q < n; ++q) g[q] = f[start + q * step];
      int64_t k = 0;
      v[0] = 0;
      z[0] = -inf;
      z[1] = inf;
      for (int64_t q = 1; q < n; ++q) {
        double s = 0.0;
        while (true) {
          double p = static_cast<double>(v[k]), qq = static_cast<double>(q);
          s = ((g[q] + qq * qq) - (g[v[k]] + p * p)) / (2.0 * qq - 2.0 * p);
          if (s > z[k]) break;
          --k;
        }
        ++k;
        v[k] = q;
        z[k] = s;
        z[k + 1] = inf;
      }
      k = 0;
      for (int64_t q = 0; q < n; ++q) {
        while (z[k + 1] < q) ++k;
        double d = static_cast<double>(q - v[k]);
        f[start + q * step] = d * d + g[v[k]];
      }
    }
  }
  for (double& x : f) x = std::sqrt(x);
  return f;
}

}  // namespace seg
}  // namespace lathe
