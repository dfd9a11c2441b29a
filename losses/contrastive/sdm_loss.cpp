// sdm_loss: similarity distribution matching (ITCFN). With M_ij = 1[y_i = y_j] and
// Q_ij = M_ij / sum_k M_kj (M is symmetric: the column sum is row j's, as the reference's
// broadcast divides), t2i = s normalize(t) normalize(v)^T and i2t = t2i^T [B, B]:
//   L = mean_i sum_j softmax(i2t)_ij (log_softmax(i2t)_ij - log(Q_ij + eps)) + (same for t2i)
// Paper: "ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild Cognitive
// Impairment Conversion Prediction" (code justinhxy/ITFC loss_function.py, as the catalog
// quotes it). Defaults: scale 2, eps 1e-8. Batch-level (two row means, summed).
// Gradients: autograd; Q is a constant.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor kl_rows(const Tensor& l, const Tensor& log_q) {
  Tensor lp = log_softmax(l, 1);                              // [B, B]
  return mean(sum(exp(lp) * (lp - log_q), {1}));
}
}  // namespace

Tensor sdm_loss(const Tensor& v, const Tensor& t, const Tensor& labels, const SdmLossOptions& o) {
  const char* op = "sdm_loss";
  pairs::check_embeddings(op, "v", v);
  pairs::check_embeddings(op, "t", t);
  check_same_shape(op, "v", v, "t", t);
  pairs::check_labels(op, "labels", labels, v.size(0));
  // Half inputs compute in f32: eps = 1e-8 is below f16's range, log(0 + eps) would be -inf.
  const bool half = v.dtype() == DType::f16 || v.dtype() == DType::bf16;
  const DType work = half ? DType::f32 : v.dtype();
  Tensor m = cast(pairs::same_label(labels, labels), work);              // [B, B]
  Tensor log_q = log(m / sum(m, {0}, true) + o.eps);                     // [B, B]
  Tensor t2i = o.scale * matmul(pairs::l2_normalize(cast(t, work)),
                                pairs::l2_normalize(cast(v, work)).t()); // [B, B]
  Tensor l = kl_rows(t2i.t(), log_q) + kl_rows(t2i, log_q);
  return half ? cast(l, v.dtype()) : l;
}

LATHE_REGISTER_OPS(sdm_loss) {
  registry.add(OpDef("sdm_loss", "contrastive")
                   .summary("similarity distribution matching: KL to the label distribution")
                   .paper("ITCFN: Incomplete Triple-Modal Co-Attention Fusion Network for Mild "
                          "Cognitive Impairment Conversion Prediction")
                   .input("v")
                   .input("t")
                   .input("labels", Kind::integer)
                   .options<SdmLossOptions>()
                   .attr("scale", &SdmLossOptions::scale, "s, multiplies the cosines")
                   .attr("eps", &SdmLossOptions::eps, "inside log(Q + eps)")
                   .output("loss")
                   .own_reduction("batch-level: the two directions' row means, summed")
                   .run(sdm_loss));
}

}  // namespace lathe
