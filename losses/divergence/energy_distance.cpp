// energy_distance: the energy distance of two point clouds with uniform weights, GeomLoss's
// kernel norm with the energy kernel k(a, b) = -sqrt(max(|a - b|^2, 1e-8)):
//   E = 1/2 mean_ij k(x_i, x_j) + 1/2 mean_ij k(y_i, y_j) - mean_ij k(x_i, y_j)
// with |a - b|^2 expanded as |a|^2 - 2 a.b + |b|^2 and clamped at 1e-8 (also on the diagonal,
// which adds -1e-4 / N to each self term, as in GeomLoss). x [N, D], y [M, D]: a scalar.
// hausdorff_divergence: PULASki's default distance (--distloss_mode 3), GeomLoss(loss=
// "hausdorff", kernel=energy_kernel): in GeomLoss <= 0.2.6 "hausdorff" is routed to the same
// kernel norm, so the value is energy_distance per batch element of x [B, S, ...] and
// y [B, S', ...] (each point a flattened mask), averaged over the batch.
// Paper: "PULASki: Learning inter-rater variability using statistical distances to improve
// probabilistic segmentation" (catalog: divergence.md, confidence 'official code':
// soumickmj/PULASki pipeline.py GeomDistLoss; jeanfeydy/geomloss v0.2.6 kernel_samples.py
// kernel_loss, energy_kernel; utils.py squared_distances).
// Gradient (autograd): GeomLoss evaluates the self terms as k(dg(x), sg(x)) with a doubled
// gradient, which equals the plain gradient of the symmetric term computed here. Where the
// 1e-8 clamp is active (coincident points, the diagonal) the gradient is 0.
// Composite. Both ops declare their own reduction (a scalar per cloud pair).
#include "losses/divergence/divergence.h"
#include "ops/composite.h"

namespace lathe {
namespace {

// sqrt(max(|a_i - b_j|^2, 1e-8)) of a [..., N, D], b [..., M, D]: [..., N, M]. For a self
// term (b is a) the diagonal is set to exactly 0 before the clamp: its expanded form is 0 only
// up to rounding, which in f32 exceeds 1e-8 and, through 1 / sqrt, turns into a large gradient
// of pure rounding noise. GeomLoss's value in exact arithmetic (and in f64) is unchanged.
Tensor energy_dist(const Tensor& a, const Tensor& b, bool self) {
  Tensor aa = sum(a * a, {-1}, true);                                     // [..., N, 1]
  Tensor bb = unsqueeze(sum(b * b, {-1}), -2);                            // [..., 1, M]
  Tensor d2 = aa - 2.0 * matmul(a, transpose(b, -1, -2)) + bb;            // [..., N, M]
  if (self) {
    int64_t n = a.shape()[a.dim() - 2];
    Tensor idx = arange(n, DType::i64, a.device());
    Tensor diag = eq(reshape(idx, {n, 1}), reshape(idx, {1, n}));         // [N, N] bool
    d2 = where(diag, scalar_like(0.0, d2), d2);
  }
  return sqrt(clamp(d2, 1e-8));
}

// E per cloud pair of x [..., N, D], y [..., M, D]: [...].
Tensor energy(const Tensor& x, const Tensor& y) {
  return mean(energy_dist(x, y, false), {-2, -1}) -
         0.5 * mean(energy_dist(x, x, true), {-2, -1}) -
         0.5 * mean(energy_dist(y, y, true), {-2, -1});
}

}  // namespace

Tensor energy_distance(const Tensor& x, const Tensor& y) {
  const char* op = "energy_distance";
  check_floating(op, "x", x);
  check_floating(op, "y", y);
  check_dim(op, "x", x, 2);
  check_dim(op, "y", y, 2);
  LATHE_CHECK(x.shape()[1] == y.shape()[1] && x.shape()[0] > 0 && y.shape()[0] > 0, "[", op,
              "] x ", x.shape(), " and y ", y.shape(), " must be non-empty clouds of one dim");
  return energy(x, y);
}

Tensor hausdorff_divergence(const Tensor& x, const Tensor& y) {
  const char* op = "hausdorff_divergence";
  check_floating(op, "x", x);
  check_floating(op, "y", y);
  LATHE_CHECK(x.dim() >= 2 && y.dim() >= 2 && x.shape()[0] == y.shape()[0], "[", op, "] x ",
              x.shape(), " and y ", y.shape(), " must be [B, S, ...] with one batch size");
  int64_t b = x.shape()[0];
  LATHE_CHECK(b > 0 && x.shape()[1] > 0 && y.shape()[1] > 0, "[", op, "] empty clouds: x ",
              x.shape(), ", y ", y.shape());
  Tensor xf = reshape(x, {b, x.shape()[1], x.numel() / (b * x.shape()[1])});   // [B, S, D]
  Tensor yf = reshape(y, {b, y.shape()[1], y.numel() / (b * y.shape()[1])});
  LATHE_CHECK(xf.shape()[2] == yf.shape()[2], "[", op, "] points of x ", x.shape(), " and y ",
              y.shape(), " differ in size");
  return mean(energy(xf, yf));
}

LATHE_REGISTER_OPS(energy_distance) {
  registry.add(OpDef("energy_distance", "divergence")
                   .summary("energy distance (energy-kernel norm) of two point clouds")
                   .paper("PULASki: Learning inter-rater variability using statistical "
                          "distances to improve probabilistic segmentation")
                   .input("x")
                   .input("y")
                   .own_reduction("a scalar per cloud pair")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{energy_distance(c.in("x"), c.in("y"))};
                   }));
  registry.add(OpDef("hausdorff_divergence", "divergence")
                   .summary("PULASki's GeomLoss 'hausdorff' with the energy kernel: batch mean "
                            "of per-sample energy distances")
                   .paper("PULASki: Learning inter-rater variability using statistical "
                          "distances to improve probabilistic segmentation")
                   .input("x")
                   .input("y")
                   .own_reduction("the batch mean of per-pair values")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{hausdorff_divergence(c.in("x"), c.in("y"))};
                   }));
}

}  // namespace lathe
