// The segmentation family's internal helpers (losses/segmentation/common.h).
#include "losses/segmentation/common.h"

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

}  // namespace seg
}  // namespace lathe
