// barlip_loss: BarLIP's Barlow-Twins term between image and text projector outputs z1, z2
// [N, D] (batch-standardized by the projector's BatchNorm, outside the op):
//   C = z1^T z2 / N   [D, D],   L = scale [sum_i (1 - C_ii)^2 + lam sum_{i != j} C_ij^2]
// Paper: "Improved baselines for vision-language pre-training" (BarLIP); code
// facebookresearch/clip-rocket losses.py BarLIPLoss.barlip_loss, as the catalog quotes it. In
// training it is averaged over view pairs and added to clip_contrastive_loss.
// Defaults: lam 5e-3, scale 0.025. Batch-level scalar.
// Gradients: autograd.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor barlip_loss(const Tensor& z1, const Tensor& z2, const BarlipLossOptions& o) {
  const char* op = "barlip_loss";
  pairs::check_embeddings(op, "z1", z1);
  pairs::check_embeddings(op, "z2", z2);
  check_same_shape(op, "z1", z1, "z2", z2);
  const int64_t d = z1.size(1);
  Tensor c = matmul(z1.t(), z2) / double(z1.size(0));                        // [D, D]
  Tensor diag = pairs::take_rows(c, arange(d, DType::i64, c.device()));       // [D]
  Tensor on = sum((1.0 - diag) * (1.0 - diag));
  Tensor off = sum(c * c) - sum(diag * diag);
  return o.scale * (on + o.lam * off);
}

LATHE_REGISTER_OPS(barlip_loss) {
  registry.add(OpDef("barlip_loss", "contrastive")
                   .summary("Barlow-Twins cross-correlation term between two modalities")
                   .paper("Improved baselines for vision-language pre-training")
                   .input("z1")
                   .input("z2")
                   .options<BarlipLossOptions>()
                   .attr("lam", &BarlipLossOptions::lam, "weight of the off-diagonal terms")
                   .attr("scale", &BarlipLossOptions::scale, "overall scale")
                   .output("loss")
                   .own_reduction("batch-level: one cross-correlation matrix per batch")
                   .run(barlip_loss));
}

}  // namespace lathe
