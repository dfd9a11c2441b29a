// npairs_loss: the N-pair loss as pytorch-metric-learning 2.x computes it (losses.NPairsLoss:
// DotProductSimilarity on L2-normalized rows, MeanReducer). One (anchor, positive) pair per
// label that occurs at least twice, in increasing label order: the anchor is the label's first
// sample, the positive its second. With a_k, p_k the normalized pair rows (K pairs),
//   l_k = CE(A P^T, k) = -log softmax_j(a_k . p_j)[k]
// (the other pairs' positives are the negatives). No pair: 0 with a graph.
// Paper: "Improved Deep Metric Learning with Multi-class N-pair Loss Objective" (Sohn, NIPS
// 2016). Code read: PML 2.9 losses/n_pairs_loss.py, utils/loss_and_miner_utils.py
// (convert_to_pos_pairs_with_unique_labels: np.unique's first pair of each label).
// NOTE: the paper uses unnormalized inner products plus an L2 penalty on the embeddings; PML
// normalizes (its distances' default) and so does this op.
// Defaults: reduction 'mean' (over the K pairs); 'none' gives l [K].
// Gradients: autograd (softmax cross-entropy through the normalization).
#include <map>

#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor npairs_loss(const Tensor& embeddings, const Tensor& labels, const NpairsLossOptions& o) {
  const char* op = "npairs_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  Reduction r = parse_reduction(op, o.reduction);
  // label -> its first two samples (a mining decision on the host, as PML's np.unique).
  std::vector<int64_t> y = cast(labels, DType::i64).cpu().to_vector<int64_t>();
  std::map<int64_t, std::vector<int64_t>> first_two;
  for (int64_t i = 0; i < (int64_t)y.size(); ++i)
    if (first_two[y[i]].size() < 2) first_two[y[i]].push_back(i);
  std::vector<int64_t> a, p;
  for (const auto& kv : first_two)
    if (kv.second.size() == 2) {
      a.push_back(kv.second[0]);
      p.push_back(kv.second[1]);
    }
  const int64_t k = a.size();
  if (k == 0) {
    Tensor zero = pairs::zero_with_graph(embeddings);
    return r == Reduction::none ? narrow(reshape(zero, {1}), 0, 0, 0) : zero;
  }
  Device dev = embeddings.device();
  Tensor x = pairs::l2_normalize(embeddings);                                      // [B, D]
  Tensor xa = index_select(x, from_vector(a, {k}, dev), 0);                     // [K, D]
  Tensor xp = index_select(x, from_vector(p, {k}, dev), 0);                     // [K, D]
  Tensor logp = log_softmax(matmul(xa, xp.t()), 1);                                // [K, K]
  Tensor l = -pairs::take_rows(logp, arange(k, DType::i64, dev));                  // [K]
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(npairs_loss) {
  registry.add(OpDef("npairs_loss", "metric_learning")
                   .summary("multi-class N-pair loss, one pair per label (PML)")
                   .paper("Improved Deep Metric Learning with Multi-class N-pair Loss Objective")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<NpairsLossOptions>()
                   .attr("reduction", &NpairsLossOptions::reduction,
                         "none (one loss per pair) | mean | sum")
                   .output("loss")
                   .run(npairs_loss));
}

}  // namespace lathe
