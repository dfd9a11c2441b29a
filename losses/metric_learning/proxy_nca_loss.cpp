// proxy_nca_loss: Proxy-NCA as pytorch-metric-learning 2.x computes it (losses.ProxyNCALoss =
// NCALoss against the proxies, LpDistance(power=2) on L2-normalized rows, MeanReducer). With
// x_i and q_c the normalized embeddings [B, D] and proxies [C, D],
//   d2_ic = ||x_i - q_c||^2,   l_i = -log softmax_c(-s d2_ic)[y_i]
// (a class's one proxy is its positive; PML writes -log(sum of the same-label softmax), the
// same number). Labels index the proxies, 0 <= y < C.
// Paper: "No Fuss Distance Metric Learning using Proxies" (Movshovitz-Attias et al., ICCV 2017).
// Code read: PML 2.9 losses/proxy_losses.py, losses/nca_loss.py. NOTE: PML drops samples whose
// softmax underflows to exactly 0 (it takes log of the softmax); the op uses log_softmax,
// which stays finite there, so it keeps them.
// Defaults: softmax_scale 1 (PML), reduction 'mean' over samples.
// Gradients: autograd; d2 by GEMM (2 - 2 x.q on normalized rows), clamped at 0.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor proxy_nca_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& proxies,
                      const ProxyNcaLossOptions& o) {
  const char* op = "proxy_nca_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  pairs::check_embeddings(op, "proxies", proxies);
  check_shape(op, "proxies", proxies, {proxies.size(0), embeddings.size(1)});
  pairs::check_label_range(op, labels, proxies.size(0));
  Reduction r = parse_reduction(op, o.reduction);
  Tensor x = pairs::l2_normalize(embeddings);                         // [B, D]
  Tensor q = pairs::l2_normalize(proxies);                            // [C, D]
  Tensor logp = log_softmax(-o.softmax_scale * pairs::squared_distances(x, q, false), 1);
  return apply_reduction(-pairs::take_rows(logp, cast(labels, DType::i64)), r);  // [B]
}

LATHE_REGISTER_OPS(proxy_nca_loss) {
  registry.add(OpDef("proxy_nca_loss", "metric_learning")
                   .summary("NCA of normalized embeddings against one proxy per class (PML)")
                   .paper("No Fuss Distance Metric Learning using Proxies")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .input("proxies")
                   .options<ProxyNcaLossOptions>()
                   .attr("softmax_scale", &ProxyNcaLossOptions::softmax_scale,
                         "multiplies -||x - q||^2 before the softmax")
                   .attr("reduction", &ProxyNcaLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(proxy_nca_loss));
}

}  // namespace lathe
