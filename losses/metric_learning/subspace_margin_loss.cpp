// subspace_margin_loss: the margin loss (Wu et al., "Sampling Matters in Deep Embedding
// Learning") of one learner of the attention-based dynamic subspace learners. On the
// learner's L2-normalized slice e and T sampled triplets (a_t, p_t, n_t):
//   d_ap = sqrt(|e_p - e_a|^2 + 1e-8),  d_an likewise
//   pos_t = [d_ap - beta + alpha]_+,   neg_t = [beta - d_an + alpha]_+
//   L = (sum_t (pos_t + neg_t) + nu |beta|_1) / #{t: pos_t > 0 or neg_t > 0}
// and L = sum_t (pos_t + neg_t) (= 0, with a graph) when no triplet is active or T = 0.
// Paper: "Attention-based Dynamic Subspace Learners for Medical Image Analysis" (Adiga
// Vasudeva et al.); code adigasu/Dynamic_subspace_learners lib/loss/margin_loss.py
// (MarginLoss), as the catalog quotes it. Quirk kept: the count is of triplets with at least
// one active hinge (the reference adds two bool tensors: a logical or). The triplet sampler
// (lib/loss/sampler.py: distance-weighted with a 0.5 cutoff) is the caller's; its indices are
// constants here.
// Defaults: alpha 0.2, nu 0 (beta starts at 1.2, a parameter). Reduction: as written (a scalar).
// Gradients: autograd; beta gets -1 per active pos_t and +1 per active neg_t over the count.
#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor subspace_margin_loss(const Tensor& emb, const Tensor& anchor, const Tensor& positive,
                            const Tensor& negative, const Tensor& beta,
                            const SubspaceMarginLossOptions& o) {
  const char* op = "subspace_margin_loss";
  pairs::check_embeddings(op, "emb", emb);
  const int64_t b = emb.size(0);
  pairs::check_labels(op, "anchor", anchor, anchor.numel());
  const int64_t t = anchor.numel();
  pairs::check_labels(op, "positive", positive, t);
  pairs::check_labels(op, "negative", negative, t);
  pairs::check_label_range(op, anchor, b, "anchor");
  pairs::check_label_range(op, positive, b, "positive");
  pairs::check_label_range(op, negative, b, "negative");
  check_floating(op, "beta", beta);
  LATHE_CHECK(beta.dim() == 1 && (beta.size(0) == 1 || beta.size(0) == t), "[", op,
              "] beta must have shape [1] or [", t, "], got ", beta.shape());
  Tensor reg = o.nu * sum(abs(beta));
  if (t == 0) return pairs::zero_with_graph(emb) + 0.0 * reg;
  Tensor ea = index_select(emb, cast(anchor, DType::i64), 0);                // [T, D]
  Tensor dp = index_select(emb, cast(positive, DType::i64), 0) - ea;         // [T, D]
  Tensor dn = index_select(emb, cast(negative, DType::i64), 0) - ea;         // [T, D]
  Tensor d_ap = sqrt(sum(dp * dp, {1}) + 1e-8), d_an = sqrt(sum(dn * dn, {1}) + 1e-8);  // [T]
  Tensor lp = relu(d_ap - beta + o.margin), ln = relu(beta - d_an + o.margin);          // [T]
  Tensor active = logical_or(gt(lp, 0.0), gt(ln, 0.0));                      // [T]
  const double cnt = cast(sum(cast(active, DType::f64)), DType::f64).cpu()
                         .to_vector<double>()[0];
  Tensor total = sum(lp + ln);
  return cnt > 0.0 ? (total + reg) / cnt : total;
}

LATHE_REGISTER_OPS(subspace_margin_loss) {
  using O = SubspaceMarginLossOptions;
  registry.add(OpDef("subspace_margin_loss", "metric_learning")
                   .summary("margin loss with a learnable boundary beta on one subspace "
                            "learner's sampled triplets")
                   .paper("Attention-based Dynamic Subspace Learners for Medical Image Analysis")
                   .input("emb")
                   .input("anchor", Kind::integer)
                   .input("positive", Kind::integer)
                   .input("negative", Kind::integer)
                   .input("beta")
                   .options<O>()
                   .attr("margin", &O::margin, "alpha, the margin around beta")
                   .attr("nu", &O::nu, "weight of |beta|_1")
                   .output("loss")
                   .own_reduction("sum over triplets / number of triplets with an active hinge")
                   .run(subspace_margin_loss));
}

}  // namespace lathe
