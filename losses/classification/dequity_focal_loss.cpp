// dequity_focal_loss: DatasetEquity's "generalized focal" sample weighting. Per-sample task
// losses l [n] and likelihoods p in (0, 1] [n] from an offline clustering of perceptual
// embeddings (|cluster(i)| / |largest cluster|, 1 outside the equity split; the caller's):
//   w_i = (eta + (1 - p_i)^gamma) / (eta + 1)   (a constant),    L_i = w_i l_i,
// reduced 'mean' over the samples (default), 'sum' or 'none'.
// Paper: "DatasetEquity: Are All Samples Created Equal? In The Quest For Equity Within Datasets"
// (catalog: classification.md; official code towardsautonomy/DatasetEquity README
// dequity_loss_weight; the BEVFormer fork applies the weight to each image's classification and
// box losses, the dd3d fork computes it without applying it).
// Defaults: eta 1, gamma 5 (the function's; the experiment configs also run eta 0.5); gamma 0
// gives w = 1.
// Gradient (autograd): dL/dl_i = w_i (/ n under 'mean'); the likelihood is data.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor dequity_focal_loss(const Tensor& losses, const Tensor& likelihood,
                          const DequityFocalLossOptions& o) {
  const char* op = "dequity_focal_loss";
  check_floating(op, "losses", losses);
  check_floating(op, "likelihood", likelihood);
  check_same_shape(op, "losses", losses, "likelihood", likelihood);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.eta >= 0 && o.gamma >= 0, "[", op, "] eta and gamma must be >= 0, got ", o.eta,
              " and ", o.gamma);
  Tensor p = likelihood.detach();
  Tensor w = (o.eta + pow(1.0 - p, o.gamma)) / (o.eta + 1.0);     // [n]
  return apply_reduction(w * losses, r);
}

LATHE_REGISTER_OPS(dequity_focal_loss) {
  registry.add(OpDef("dequity_focal_loss", "classification")
                   .summary("DatasetEquity weighting (eta + (1 - p)^gamma) / (eta + 1) of "
                            "sample losses")
                   .paper("DatasetEquity: Are All Samples Created Equal? In The Quest For Equity "
                          "Within Datasets")
                   .input("losses")
                   .input("likelihood", Kind::floating, kNoGrad)
                   .options<DequityFocalLossOptions>()
                   .attr("eta", &DequityFocalLossOptions::eta, "weight floor term, >= 0")
                   .attr("gamma", &DequityFocalLossOptions::gamma, "focusing exponent, >= 0")
                   .attr("reduction", &DequityFocalLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(dequity_focal_loss));
}

}  // namespace lathe
