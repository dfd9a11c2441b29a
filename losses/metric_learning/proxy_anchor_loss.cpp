// proxy_anchor_loss: Proxy-Anchor as pytorch-metric-learning 2.x computes it
// (losses.ProxyAnchorLoss, CosineSimilarity on L2-normalized rows, DivisorReducer). With
// s_ic the cosine of embedding i [B, D] and proxy c [C, D], X_c+ the samples of class c:
//   L = 1/|C+| sum_{c in C+} log(1 + sum_{i in X_c+} e^{-alpha (s_ic - margin)})
//     + 1/C    sum_c          log(1 + sum_{i not in X_c+} e^{alpha (s_ic + margin)})
// C+ = the classes present in the batch (a proxy with no sample adds log 1 = 0 to the first
// sum and is not counted), every class counts in the second.
// Paper: "Proxy Anchor Loss for Deep Metric Learning" (Kim et al., CVPR 2020). Code read: PML
// 2.9 losses/proxy_anchor_loss.py, reducers/divisor_reducer.py.
// Defaults: margin 0.1, alpha 32 (paper and PML).
// Gradients: autograd (masked log-sum-exp over the batch axis).
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor proxy_anchor_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& proxies,
                         const ProxyAnchorLossOptions& o) {
  const char* op = "proxy_anchor_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  pairs::check_embeddings(op, "proxies", proxies);
  check_shape(op, "proxies", proxies, {proxies.size(0), embeddings.size(1)});
  pairs::check_label_range(op, labels, proxies.size(0));
  const int64_t classes = proxies.size(0);
  Tensor s = matmul(pairs::l2_normalize(embeddings), pairs::l2_normalize(proxies).t());  // [B, C]
  Tensor pos = pairs::same_label(labels, arange(classes, DType::i64, labels.device()));   // [B, C]
  Tensor lp = pairs::masked_logsumexp(-o.alpha * (s - o.margin), pos, 0, true);          // [1, C]
  Tensor ln = pairs::masked_logsumexp(o.alpha * (s + o.margin), logical_not(pos), 0, true);
  Tensor with_pos = sum(cast(gt(pairs::count(pos, 0, s.dtype()), 0.0), s.dtype()));
  return sum(lp) / maximum(with_pos, 1.0) + sum(ln) / double(classes);
}

LATHE_REGISTER_OPS(proxy_anchor_loss) {
  registry.add(OpDef("proxy_anchor_loss", "metric_learning")
                   .summary("proxy-anchor loss of normalized embeddings and proxies (PML)")
                   .paper("Proxy Anchor Loss for Deep Metric Learning")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .input("proxies")
                   .options<ProxyAnchorLossOptions>()
                   .attr("margin", &ProxyAnchorLossOptions::margin, "the similarity margin")
                   .attr("alpha", &ProxyAnchorLossOptions::alpha, "the scale")
                   .output("loss")
                   .own_reduction("a sum over proxies: the positive term over the classes in "
                                  "the batch, the negative term over all classes")
                   .run(proxy_anchor_loss));
}

}  // namespace lathe
