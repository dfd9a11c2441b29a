// sigreg_loss: LeJEPA's Sketched Isotropic Gaussian Regularization. Embeddings proj [V, N, K]
// (V views of N samples) are projected on M unit directions A [K, M] (random, resampled each
// step by the caller: an explicit input) and each slice is tested against N(0, 1) with the
// Epps-Pulley statistic on knots t_j = linspace(0, t_max, knots):
//   x = proj A [V, N, M],  phi(t) = exp(-t^2 / 2),  w = trapezoid weights * phi(t)
//   err(t) = (mean_n cos(t x_n) - phi(t))^2 + (mean_n sin(t x_n))^2
//   T_vm = N sum_j w_j err(t_j),   SIGReg = mean_{v, m} T_vm
// Paper: "LeJEPA: Provable and Scalable Self-Supervised Learning Without the Heuristics"; code
// rbalestr-lab/lejepa MINIMAL.md SIGReg, epps_pulley.py, as the catalog quotes it.
// Defaults: 17 knots on [0, 3] (M = 256 slices is the caller's A). Scalar (scales with N by
// design; under DDP the reference multiplies by the world size: single-device here).
// Gradients: autograd (smooth); A is a constant.
#include <cmath>

#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor sigreg_loss(const Tensor& proj, const Tensor& directions, const SigregLossOptions& o) {
  const char* op = "sigreg_loss";
  pairs::check_embeddings(op, "proj", proj, 3);
  pairs::check_embeddings(op, "directions", directions);
  check_shape(op, "directions", directions, {proj.size(2), directions.size(1)});
  LATHE_CHECK(o.knots >= 2, "[", op, "] knots must be >= 2, got ", o.knots);
  pairs::check_positive(op, "t_max", o.t_max);
  const double dt = o.t_max / double(o.knots - 1);
  std::vector<double> t(o.knots), phi(o.knots), w(o.knots);
  for (int64_t j = 0; j < o.knots; ++j) {
    t[j] = dt * double(j);
    phi[j] = std::exp(-t[j] * t[j] / 2.0);
    w[j] = (j == 0 || j == o.knots - 1 ? dt : 2.0 * dt) * phi[j];
  }
  auto constant = [&](const std::vector<double>& v) {
    return cast(from_vector(v, {o.knots}, DType::f64, proj.device()), proj.dtype());
  };
  Tensor x = unsqueeze(matmul(proj, directions.detach()), -1) * constant(t);  // [V, N, M, J]
  Tensor err = pow(mean(cos(x), {1}) - constant(phi), 2.0) + pow(mean(sin(x), {1}), 2.0);
  Tensor stat = sum(err * constant(w), {-1}) * double(proj.size(1));         // [V, M]
  return mean(stat);
}

LATHE_REGISTER_OPS(sigreg_loss) {
  registry.add(OpDef("sigreg_loss", "contrastive")
                   .summary("Epps-Pulley Gaussianity test over random slices (LeJEPA SIGReg)")
                   .paper("LeJEPA: Provable and Scalable Self-Supervised Learning Without the "
                          "Heuristics")
                   .input("proj")
                   .input("directions", Kind::floating, kNoGrad)
                   .options<SigregLossOptions>()
                   .attr("knots", &SigregLossOptions::knots, "trapezoid knots on [0, t_max]")
                   .attr("t_max", &SigregLossOptions::t_max, "the last knot")
                   .output("loss")
                   .own_reduction("the mean of the per-view, per-slice statistics")
                   .run(sigreg_loss));
}

}  // namespace lathe
