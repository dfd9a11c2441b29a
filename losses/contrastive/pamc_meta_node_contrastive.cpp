// pamc_meta_node_contrastive: PamC's parameter-free meta-node contrastive loss. With cos0(x)
// the cosine-similarity matrix of the rows of x with a zero diagonal:
//   x+_i = sum_j adj_ij exp(tau cos0(z)_ij)             (adj: e.g. the r-th power of the
//                                                        normalized kNN adjacency, self-loops)
//   c    = onehot(argmax sg(q))^T z   [K', d]           (hard-assignment cluster sums)
//   x-_k = sum_l exp(tau cos0(c)_kl)
//   L = -mean_i log(x+_i + 1e-10) + mean_k log(x-_k + 1e-10)
// K' = 1 + the largest assigned cluster (the reference's one-hot has no class count).
// Paper: "Efficient block contrastive learning via parameter-free meta-node approximation"
// (Kulatilleke et al.); the authors' code (NcontrastCC), as the catalog quotes it. The
// training objective is beta KL(P || Q) + alpha L (alpha 2, beta 0.1: the caller's).
// An empty cluster below K' (a zero meta-node: 0 / 0 in the reference) is an error; so is a
// zero row of z. Defaults: tau 1. Reduction: the two means as written (a scalar).
// Gradients: autograd through both cosine matrices; the assignment is a constant.
#include <algorithm>
#include <vector>

#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// [P, P] cosines of the rows of x, diagonal 0.
Tensor cos_offdiag(const Tensor& x) {
  Tensor n = sqrt(sum(x * x, {1}, true));                                    // [P, 1]
  Tensor off = logical_not(pairs::same_label(arange(x.size(0), DType::i64, x.device()),
                                             arange(x.size(0), DType::i64, x.device())));
  return where(off, matmul(x, x.t()) / matmul(n, n.t()), 0.0);               // [P, P]
}
}  // namespace

Tensor pamc_meta_node_contrastive(const Tensor& z, const Tensor& adj, const Tensor& q,
                                  const PamcMetaNodeContrastiveOptions& o) {
  const char* op = "pamc_meta_node_contrastive";
  pairs::check_embeddings(op, "z", z);
  const int64_t n = z.size(0);
  check_floating(op, "adj", adj);
  check_shape(op, "adj", adj, {n, n});
  check_floating(op, "q", q);
  check_dim(op, "q", q, 2);
  check_shape(op, "q", q, {n, q.size(1)});
  const double least = cast(min(sum(z.detach() * z.detach(), {1})), DType::f64).cpu()
                           .to_vector<double>()[0];
  LATHE_CHECK(least > 0.0, "[", op, "] z has a zero row (its cosines are undefined)");
  std::vector<int64_t> cl = argmax(q.detach(), 1).cpu().contiguous().to_vector<int64_t>();
  int64_t k = 0;
  for (int64_t c : cl) k = std::max(k, c + 1);
  std::vector<double> onehot(n * k, 0.0);
  std::vector<bool> used(k, false);
  for (int64_t i = 0; i < n; ++i) {
    onehot[i * k + cl[i]] = 1.0;
    used[cl[i]] = true;
  }
  for (int64_t c = 0; c < k; ++c)
    LATHE_CHECK(used[c], "[", op, "] cluster ", c, " has no node but a later one has (a zero "
                "meta-node has no cosine)");
  Tensor m = cast(from_vector(onehot, {n, k}, DType::f64, z.device()), z.dtype());  // [N, K']
  Tensor x_pos = sum(exp(o.tau * cos_offdiag(z)) * adj.detach(), {1});       // [N]
  Tensor x_neg = sum(exp(o.tau * cos_offdiag(matmul(m.t(), z))), {1});       // [K']
  return -mean(log(x_pos + 1e-10)) + mean(log(x_neg + 1e-10));
}

LATHE_REGISTER_OPS(pamc_meta_node_contrastive) {
  using O = PamcMetaNodeContrastiveOptions;
  registry.add(OpDef("pamc_meta_node_contrastive", "contrastive")
                   .summary("PamC: graph-neighbour positives against cluster meta-node negatives")
                   .paper("Efficient block contrastive learning via parameter-free meta-node "
                          "approximation")
                   .input("z")
                   .input("adj", Kind::floating, kNoGrad)
                   .input("q", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("tau", &O::tau, "multiplies the cosines")
                   .output("loss")
                   .own_reduction("a mean over nodes and a mean over meta-nodes (a scalar)")
                   .run(pamc_meta_node_contrastive));
}

}  // namespace lathe
