// dkm_cluster_weights: DKM's differentiable k-means palettization of weights (one forward)
//   for it = 1..max_iter (from the constant start C = c0):
//     D_ij = ||w_i - c_j||^2,  A = max(softmax_j(-D / tau), floor),  C <- (A^T W) / sum_i A_ij
//     stop when a previous inertia I_prev = sum_i min_j D_ij is nonzero and |I_prev - I| <= tol
//   W_hat = A C          (A of the last iteration, C its update)      -> (W_hat, sg(C))
//   eval: W_hat_i = c0_{argmin_j D_ij} (hard assignment, no iteration)
// w [N, d] (d = cluster_dim), c0 [K, d] (K = 2^bits) -> ([N, d], [K, d]).
// Paper: "eDKM: An Efficient and Accurate Train-time Weight Clustering for Large Language
// Models" (its op is DKM, Cho et al., ICLR 2022; eDKM adds memory savings only). Official code:
// apple/coremltools optimize/torch/palettization/fake_palettize.py (FakePalettize's DKM
// iteration), _efficient_kmeans.py (squared cdist), palettization_config.py (defaults tau
// 1e-4, kmeans_max_iter 3, epsilon 1e-4, zero_threshold 1e-7), as the catalog cites; this
// follows the catalog's reading of them (the stop test needs a previous, nonzero inertia). The
// starting centroids are a constant (the caller carries sg(C) to the next step, k-means++ at the
// first): in the registry it is the state `centroids` (in: the start, out: sg(C)). Composite:
// the gradient flows through every iteration's A and C, not into c0; the
// floor is a clamp (no gradient where it binds); the stop test is a discrete choice.
#include <cmath>

#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

namespace {

Tensor squared_distances(const Tensor& w, const Tensor& c) {  // [N, d], [K, d] -> [N, K]
  Tensor diff = unsqueeze(w, 1) - unsqueeze(c, 0);               // [N, K, d]
  return sum(diff * diff, {-1});
}

}  // namespace

DkmResult dkm_cluster_weights(const Tensor& w, const Tensor& c0, const DkmOptions& o) {
  const char* op = "dkm_cluster_weights";
  check_floating(op, "w", w);
  check_floating(op, "c0", c0);
  check_dim(op, "w", w, 2);
  check_dim(op, "c0", c0, 2);
  LATHE_CHECK(c0.size(1) == w.size(1), "[", op, "] c0 must be [K, ", w.size(1), "], got ",
              c0.shape());
  LATHE_CHECK(o.tau > 0.0, "[", op, "] tau must be > 0, got ", o.tau);
  LATHE_CHECK(o.max_iter >= 1, "[", op, "] max_iter must be >= 1, got ", o.max_iter);
  LATHE_CHECK(o.floor >= 0.0 && o.tol >= 0.0, "[", op, "] floor and tol must be >= 0");
  Tensor c = c0.detach();                                        // [K, d]
  if (!o.training) {
    Tensor nearest = argmin(squared_distances(w.detach(), c), -1);  // [N]
    return {index_select(c, nearest, 0), c};
  }
  Tensor a;
  double last = 0.0;
  bool has_last = false;
  for (int64_t it = 0; it < o.max_iter; ++it) {
    Tensor d = squared_distances(w, c);                          // [N, K]
    a = clamp(softmax(-d / o.tau, -1), o.floor);                 // [N, K]
    c = matmul(transpose(a, 0, 1), w) / unsqueeze(sum(a, {0}), -1);  // [K, d]
    double inertia;
    {
      NoGradGuard no_grad;
      inertia = sum(min(d, {-1})).item();
    }
    if (has_last && last != 0.0 && std::abs(last - inertia) <= o.tol) break;
    last = inertia;
    has_last = true;
  }
  return {matmul(a, c), c.detach()};                             // [N, d], [K, d]
}

LATHE_REGISTER_OPS(dkm_cluster_weights) {
  registry.add(OpDef("dkm_cluster_weights", "reparam")
                   .summary("DKM differentiable k-means: attention A = softmax(-||w - c||^2/tau) "
                            "iterated, clustered weights A C")
                   .paper("eDKM: An Efficient and Accurate Train-time Weight Clustering for "
                          "Large Language Models")
                   .input("w")
                   .options<DkmOptions>()
                   .attr("tau", &DkmOptions::tau, "softmax temperature on squared distances")
                   .attr("max_iter", &DkmOptions::max_iter, "attention iterations")
                   .attr("tol", &DkmOptions::tol, "stop when the inertia changes by <= tol")
                   .attr("floor", &DkmOptions::floor, "attention floor (clamp min)")
                   .attr("training", &DkmOptions::training,
                         "false: hard assignment to the nearest start centroid")
                   .output("weight")
                   .state("centroids")
                   .run([](const OpCall& c) {
                     DkmResult r = dkm_cluster_weights(c.in("w"), c.in("centroids"),
                                                       c.options<DkmOptions>());
                     return Outputs{r.weight, r.centroids};
                   }));
}

}  // namespace lathe
