// lejepa_loss: LeJEPA's objective on projections proj [V, N, K] with slice directions A [K, M]:
//   L = lam SIGReg(proj, A) + (1 - lam) mean((mean_v proj - proj)^2)
// (the invariance term pulls each view to the views' mean; sigreg_loss is the regularizer).
// Paper: "LeJEPA: Provable and Scalable Self-Supervised Learning Without the Heuristics"; code
// rbalestr-lab/lejepa MINIMAL.md, as the catalog quotes it.
// Defaults: lam 0.02 (MINIMAL.md; the catalog notes a reported 0.05 it could not verify),
// 17 knots on [0, 3]. Scalar.
// Gradients: autograd.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor lejepa_loss(const Tensor& proj, const Tensor& directions, const LejepaLossOptions& o) {
  const char* op = "lejepa_loss";
  pairs::check_embeddings(op, "proj", proj, 3);
  pairs::check_embeddings(op, "directions", directions);
  check_shape(op, "directions", directions, {proj.size(2), directions.size(1)});
  LATHE_CHECK(o.lam >= 0 && o.lam <= 1, "[", op, "] lam must lie in [0, 1], got ", o.lam);
  SigregLossOptions s;
  s.knots = o.knots;
  s.t_max = o.t_max;
  Tensor sig = sigreg_loss(proj, directions, s);
  Tensor dev = mean(proj, {0}, true) - proj;                // [V, N, K]
  return o.lam * sig + (1.0 - o.lam) * mean(dev * dev);
}

LATHE_REGISTER_OPS(lejepa_loss) {
  registry.add(OpDef("lejepa_loss", "contrastive")
                   .summary("lam SIGReg + (1 - lam) view-invariance (LeJEPA)")
                   .paper("LeJEPA: Provable and Scalable Self-Supervised Learning Without the "
                          "Heuristics")
                   .input("proj")
                   .input("directions", Kind::floating, kNoGrad)
                   .options<LejepaLossOptions>()
                   .attr("lam", &LejepaLossOptions::lam, "weight of SIGReg, in [0, 1]")
                   .attr("knots", &LejepaLossOptions::knots, "trapezoid knots on [0, t_max]")
                   .attr("t_max", &LejepaLossOptions::t_max, "the last knot")
                   .output("loss")
                   .own_reduction("batch-level scalar")
                   .run(lejepa_loss));
}

}  // namespace lathe
