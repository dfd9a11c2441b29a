// circle_loss: Circle loss for pair labels, as pytorch-metric-learning 2.x computes it
// (losses.CircleLoss: CosineSimilarity on L2-normalized rows, AvgNonZeroReducer). With s the
// cosine similarities [B, B], P_i = same label except i, N_i = other labels:
//   a_p = relu(1 + m - s_p) (detached), a_n = relu(s_n + m) (detached)
//   l_i = softplus(LSE_{p in P_i} -gamma a_p (s_p - (1 - m)) + LSE_{n in N_i} gamma a_n (s_n - m))
// an anchor with no positive or no negative gives 0 and is skipped by the reducer; L = mean of
// the non-zero l_i (0 with a graph when none).
// Paper: "Circle Loss: A Unified Perspective of Pair Similarity Optimization" (Sun et al., CVPR
// 2020). Code read: PML 2.9 losses/circle_loss.py. NOTE: the paper writes the weights a_p, a_n
// as stop-gradient factors; PML (and the oracle) detach them too.
// Defaults: m 0.4, gamma 80 (PML's; the paper suggests m 0.25, gamma 256 for faces).
// Gradients: autograd through the detached weights, so the gradient is not the derivative of
// the value (declared .custom_backward; the cases are checked against PML's gradients, not
// gradchecked).
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor circle_loss(const Tensor& embeddings, const Tensor& labels, const CircleLossOptions& o) {
  const char* op = "circle_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  pairs::check_positive(op, "gamma", o.gamma);
  Tensor x = pairs::l2_normalize(embeddings);                        // [B, D]
  Tensor s = matmul(x, x.t());                                       // [B, B]
  Tensor pos = pairs::positive_mask(labels), neg = pairs::negative_mask(labels);
  Tensor lp = -o.gamma * relu(1.0 + o.m - s.detach()) * (s - (1.0 - o.m));  // [B, B]
  Tensor ln = o.gamma * relu(s.detach() + o.m) * (s - o.m);                 // [B, B]
  Tensor l = softplus(pairs::masked_logsumexp(lp, pos, 1, false) +
                      pairs::masked_logsumexp(ln, neg, 1, false));          // [B, 1]
  Tensor valid = logical_and(gt(pairs::count(pos, 1, s.dtype()), 0.0),
                             gt(pairs::count(neg, 1, s.dtype()), 0.0));     // [B, 1]
  return pairs::masked_mean(l, logical_and(valid, gt(l, 0.0)));
}

LATHE_REGISTER_OPS(circle_loss) {
  registry.add(OpDef("circle_loss", "metric_learning")
                   .summary("circle loss on cosine similarities of a labelled batch (PML)")
                   .paper("Circle Loss: A Unified Perspective of Pair Similarity Optimization")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<CircleLossOptions>()
                   .attr("m", &CircleLossOptions::m, "relaxation margin")
                   .attr("gamma", &CircleLossOptions::gamma, "scale, > 0")
                   .output("loss")
                   .custom_backward("the pair weights a_p, a_n are stop-gradient (paper and "
                                    "PML): the gradient is not the value's derivative")
                   .own_reduction("PML's AvgNonZeroReducer: the mean over anchors with a "
                                  "positive and a negative")
                   .run(circle_loss));
}

}  // namespace lathe
