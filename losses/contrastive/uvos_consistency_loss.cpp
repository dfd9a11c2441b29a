// uvos_consistency_loss: the semantic-consistency term of "Betrayed by Attention". For each
// sampled query point q, the keys ranked by the spatio-temporal attention give positives (the
// top 30) and negatives (the bottom 200) of its slot feature s_q (detached):
//   L_sem = mean relu(0.9 - cos(s_pos, s_q)) + mean relu(cos(s_neg, s_q) - 0.1)
// Paper: "Betrayed by Attention: A Simple yet Effective Approach for Self-supervised Video
// Object Segmentation"; code shvdiwnkozbw/SSL-UVOS src/train_RGB_cluster.py, as the catalog
// quotes it. NOTE: only this term is the op; the attention ranking (selection) and the motion
// term with entropy-normalized point weights (L_mot, the second part of the catalog's L) are
// left to the caller.
// Defaults: thresholds 0.9 and 0.1. Reduction: the two means as written (a scalar).
// Gradients: autograd into s_pos and s_neg (core cosine_similarity, eps 1e-8).
#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor uvos_consistency_loss(const Tensor& s_q, const Tensor& s_pos, const Tensor& s_neg,
                             const UvosConsistencyLossOptions& o) {
  const char* op = "uvos_consistency_loss";
  pairs::check_embeddings(op, "s_q", s_q);
  pairs::check_embeddings(op, "s_pos", s_pos, 3);
  pairs::check_embeddings(op, "s_neg", s_neg, 3);
  const int64_t q = s_q.size(0), d = s_q.size(1);
  check_shape(op, "s_pos", s_pos, {q, s_pos.size(1), d});
  check_shape(op, "s_neg", s_neg, {q, s_neg.size(1), d});
  LATHE_CHECK(s_pos.size(1) > 0 && s_neg.size(1) > 0, "[", op,
              "] each query needs at least one positive and one negative");
  Tensor anchor = s_q.detach().unsqueeze(1);                                    // [Q, 1, D]
  Tensor cp = cosine_similarity(s_pos, anchor, 2, 1e-8);                        // [Q, P]
  Tensor cn = cosine_similarity(s_neg, anchor, 2, 1e-8);                        // [Q, N]
  return mean(relu(o.pos_thresh - cp)) + mean(relu(cn - o.neg_thresh));
}

LATHE_REGISTER_OPS(uvos_consistency_loss) {
  using O = UvosConsistencyLossOptions;
  registry.add(OpDef("uvos_consistency_loss", "contrastive")
                   .summary("self-supervised UVOS semantic consistency: cosine hinges of "
                            "attention-ranked keys")
                   .paper("Betrayed by Attention: A Simple yet Effective Approach for "
                          "Self-supervised Video Object Segmentation")
                   .input("s_q", Kind::floating, kNoGrad)
                   .input("s_pos")
                   .input("s_neg")
                   .options<O>()
                   .attr("pos_thresh", &O::pos_thresh, "positives are pulled above this cosine")
                   .attr("neg_thresh", &O::neg_thresh, "negatives are pushed below this cosine")
                   .output("loss")
                   .own_reduction("a mean over positive and a mean over negative cosines, summed")
                   .run(uvos_consistency_loss));
}

}  // namespace lathe
