// bct_influence_loss: backward-compatible training's influence loss. New-model logits
// out [B, C], new features feat [B, D] and the frozen old classifier W_old [C', D]:
//   L = CE(out, y) + alpha CE(feat W_old^T, y)
// W_old is a constant (detached here even when the caller's requires grad).
// Paper: "BT^2: Backward-compatible Training with Basis Transformation" (the BCT loss it builds
// on: "Towards Backward-Compatible Representation Learning", Shen et al., CVPR 2020); code
// YifeiZhou02/BT-2 trainers/bct_trainer.py, as the catalog quotes it.
// Defaults: alpha 1 (the BCT trainer; the transfer trainer uses 10). Reduction: means.
// Edge cases: labels beyond the old classifier's classes are an error.
// Gradients: autograd.
#include <algorithm>

#include "losses/classification/classification.h"
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor bct_influence_loss(const Tensor& out, const Tensor& feat, const Tensor& old_weight,
                          const Tensor& labels, const BctInfluenceLossOptions& o) {
  const char* op = "bct_influence_loss";
  pairs::check_embeddings(op, "out", out);
  pairs::check_embeddings(op, "feat", feat);
  pairs::check_embeddings(op, "old_weight", old_weight);
  check_shape(op, "old_weight", old_weight, {old_weight.size(0), feat.size(1)});
  LATHE_CHECK(feat.size(0) == out.size(0), "[", op, "] feat ", feat.shape(),
              " and out ", out.shape(), " must have the same batch");
  pairs::check_labels(op, "labels", labels, out.size(0));
  pairs::check_label_range(op, labels, std::min(out.size(1), old_weight.size(0)));
  Tensor old_logits = matmul(feat, old_weight.detach().t());  // [B, C']
  return cross_entropy(out, labels) + o.alpha * cross_entropy(old_logits, labels);
}

LATHE_REGISTER_OPS(bct_influence_loss) {
  registry.add(OpDef("bct_influence_loss", "metric_learning")
                   .summary("CE(out, y) + alpha CE(feat W_old^T, y), old classifier frozen")
                   .paper("BT^2: Backward-compatible Training with Basis Transformation")
                   .input("out")
                   .input("feat")
                   .input("old_weight", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .options<BctInfluenceLossOptions>()
                   .attr("alpha", &BctInfluenceLossOptions::alpha,
                         "weight of the old classifier's cross-entropy")
                   .output("loss")
                   .own_reduction("two batch means (cross-entropies), summed")
                   .run(bct_influence_loss));
}

}  // namespace lathe
