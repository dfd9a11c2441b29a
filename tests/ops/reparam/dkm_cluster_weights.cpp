// Test cases for ops/reparam/dkm_cluster_weights.cpp (gradcheck, conformance, oracle). tau is
// raised above the 1e-4 default in the gradchecked cases so that the attention is not
// saturated at the floor everywhere (the finite differences would see only the clamp).
#include "tests/support/cases.h"

LATHE_CASES(dkm_cluster_weights) {
  add(Case("dkm_cluster_weights").normal("w", {20, 1}, 0.02)
          .values("centroids", {4, 1}, {-0.03, -0.01, 0.01, 0.03}).at_kink(
              "tau 1e-4 on weights of scale 0.02: most attentions sit at the 1e-7 floor (the "
              "clamp's kink) or round to 1; the oracle compares PyTorch's subgradient")
          .note("the catalog's example: 20 scalar weights, 4 centroids, coremltools defaults"));
  add(Case("dkm_cluster_weights", "soft").normal("w", {8, 2}, 0.5)
          .values("centroids", {3, 2}, {-0.5, 0.0, 0.5, 0.5, 0.0, -0.5}).attr("tau", 0.5)
          .attr("tol", 0.0).note("cluster_dim 2, tau 0.5, all 3 iterations (tol 0)"));
  add(Case("dkm_cluster_weights", "one_iter").normal("w", {6, 1})
          .values("centroids", {2, 1}, {-1.0, 1.0})
          .attr("tau", 1.0).attr("max_iter", 1).note("a single iteration"));
  add(Case("dkm_cluster_weights", "eval").values("w", {5, 1}, {-0.9, -0.2, 0.15, 0.6, 1.3})
          .values("centroids", {3, 1}, {-1.0, 0.0, 1.0}).attr("training", false)
          .no_gradcheck("eval: a hard assignment, piecewise constant in w")
          .note("eval: each weight replaced by its nearest start centroid"));
}
