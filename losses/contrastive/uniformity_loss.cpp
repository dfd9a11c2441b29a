// uniformity_loss: the uniformity of embeddings on the hypersphere (Wang & Isola),
//   L_U = log mean_{i<j} exp(-t ||z_i - z_j||^2) = LSE_{i<j}(-t d2_ij) - log(B (B - 1) / 2)
// over the unordered pairs, the rows L2-normalized first when `normalize` (the reference
// expects normalized inputs and does not normalize: pass normalize = false for exact parity).
// Papers: "Understanding the Behaviour of Contrastive Loss"; the metric of "Understanding
// Contrastive Representation Learning through Alignment and Uniformity on the Hypersphere"
// (ICML 2020; code SsnL/align_uniform uniform_loss, as the catalog quotes it).
// Defaults: t 2, normalize true. Batch-level: one scalar, no 'none'.
// Edge cases: duplicates (d2 exactly 0, gradient 0, as pdist); B = 1 has no pair (the reference
// gives NaN): an error here.
// Gradients: autograd; squared distances by GEMM, no square root.
#include <cmath>

#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor uniformity_loss(const Tensor& z, const UniformityLossOptions& o) {
  const char* op = "uniformity_loss";
  pairs::check_embeddings(op, "z", z);
  pairs::check_positive(op, "t", o.t);
  const int64_t b = z.size(0);
  LATHE_CHECK(b >= 2, "[", op, "] needs at least 2 embeddings (pairs), got ", z.shape());
  Tensor x = o.normalize ? pairs::l2_normalize(z) : z;                        // [B, D]
  Tensor d2 = pairs::squared_distances(x, x, true);                           // [B, B]
  Tensor i = arange(b, DType::i64, z.device());
  Tensor upper = lt(unsqueeze(i, 1), unsqueeze(i, 0));                        // [B, B] i < j
  Tensor lse = pairs::masked_logsumexp(reshape(-o.t * d2, {1, b * b}), reshape(upper, {1, b * b}),
                                       1, false);                             // [1, 1]
  return reshape(lse, {}) - std::log(double(b) * double(b - 1) / 2.0);
}

LATHE_REGISTER_OPS(uniformity_loss) {
  registry.add(OpDef("uniformity_loss", "contrastive")
                   .summary("log mean over pairs of exp(-t ||z_i - z_j||^2) (uniformity)")
                   .paper("Understanding the Behaviour of Contrastive Loss")
                   .input("z")
                   .options<UniformityLossOptions>()
                   .attr("t", &UniformityLossOptions::t, "> 0")
                   .attr("normalize", &UniformityLossOptions::normalize,
                         "L2-normalize the rows first")
                   .output("loss")
                   .own_reduction("batch-level: the log of the mean over all unordered pairs")
                   .run(uniformity_loss));
}

}  // namespace lathe
