// soft_triple_loss: SoftTriple as pytorch-metric-learning 2.x computes it
// (losses.SoftTripleLoss, CosineSimilarity on L2-normalized rows, MeanReducer). With K centres
// per class (centers [C*K, D], class c owning rows c*K .. c*K+K-1) and s_ick the cosine of
// embedding i and centre (c, k):
//   S_ic = sum_k softmax_k(s_ick / gamma) s_ick                     (a soft max over centres)
//   l_i  = CE(la (S_i - delta 1[c = y_i]), y_i)
// Paper: "SoftTriple Loss: Deep Metric Learning Without Triplet Sampling" (Qian et al., ICCV
// 2019). Code read: PML 2.9 losses/soft_triple_loss.py. NOTE: the paper adds a regularizer that
// merges similar centres (tau); PML leaves it out by default (weight_regularizer=None) and so
// does the op: add it to the loss yourself when you want it.
// Defaults: centers_per_class 10, la 20, gamma 0.1, margin (delta) 0.01 (PML and the paper).
// Reduction: 'mean' over samples (default), 'sum', 'none' [B].
// Gradients: autograd.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor soft_triple_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& centers,
                        const SoftTripleLossOptions& o) {
  const char* op = "soft_triple_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  pairs::check_embeddings(op, "centers", centers);
  LATHE_CHECK(o.centers_per_class > 0 && centers.size(0) % o.centers_per_class == 0, "[", op,
              "] centers must have C * centers_per_class rows, got ", centers.shape(),
              " with centers_per_class ", o.centers_per_class);
  check_shape(op, "centers", centers, {centers.size(0), embeddings.size(1)});
  pairs::check_positive(op, "gamma", o.gamma);
  const int64_t b = embeddings.size(0), k = o.centers_per_class, c = centers.size(0) / k;
  pairs::check_label_range(op, labels, c);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor s = matmul(pairs::l2_normalize(embeddings), pairs::l2_normalize(centers).t());
  s = reshape(s, {b, c, k});                                              // [B, C, K]
  Tensor sc = sum(softmax(s / o.gamma, 2) * s, {2});                      // [B, C]
  Tensor y = cast(labels, DType::i64);
  Tensor target = cast(pairs::same_label(y, arange(c, DType::i64, y.device())), s.dtype());
  Tensor logp = log_softmax(o.la * (sc - o.margin * target), 1);          // [B, C]
  return apply_reduction(-pairs::take_rows(logp, y), r);                  // [B]
}

LATHE_REGISTER_OPS(soft_triple_loss) {
  registry.add(OpDef("soft_triple_loss", "metric_learning")
                   .summary("SoftTriple loss with K centres per class (PML)")
                   .paper("SoftTriple Loss: Deep Metric Learning Without Triplet Sampling")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .input("centers")
                   .options<SoftTripleLossOptions>()
                   .attr("centers_per_class", &SoftTripleLossOptions::centers_per_class,
                         "K, centres per class (centers has C*K rows)")
                   .attr("la", &SoftTripleLossOptions::la, "lambda, the logits' scale")
                   .attr("gamma", &SoftTripleLossOptions::gamma,
                         "softmax temperature over a class's centres, > 0")
                   .attr("margin", &SoftTripleLossOptions::margin,
                         "delta, subtracted from the target class")
                   .attr("reduction", &SoftTripleLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(soft_triple_loss));
}

}  // namespace lathe
