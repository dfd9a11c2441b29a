// batch_balanced_contrastive_loss: SemiCD-VL's class-balanced contrastive loss of a distance
// map d (any shape, e.g. [B, H, W]) between bi-temporal features and a change mask y of the same
// shape (integers: 0 unchanged, 1 changed, anything else, 255 by convention, ignored):
//   u = 1[y = 0], c = 1[y = 1]
//   L = sum u d^2 / (sum u + 1e-4) + sum c relu(m - d)^2 / (sum c + 1e-4)      ('mean')
// 'none' returns the per-pixel map u d^2 + c relu(m - d)^2, 'sum' its sum.
// Paper: "SemiCD-VL: Visual-Language Model Guidance Makes Better Semi-supervised Change
// Detector"; code likyoo/SemiCD-VL model/utils.py bcl_loss, as the catalog quotes it.
// Defaults: margin 2, reduction 'mean' (class-balanced, not the map's mean).
// Gradients: autograd; kink at d = m.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor batch_balanced_contrastive_loss(const Tensor& distance, const Tensor& target,
                                       const BatchBalancedContrastiveLossOptions& o) {
  const char* op = "batch_balanced_contrastive_loss";
  check_floating(op, "distance", distance);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()), "[", op,
              "] target must be integers (0, 1, ignored), got ",
              target.defined() ? dtype_name(target.dtype()) : "nothing");
  LATHE_CHECK(target.shape() == distance.shape(), "[", op, "] target ", target.shape(),
              " must have the distance map's shape ", distance.shape());
  Reduction r = parse_reduction(op, o.reduction);
  Tensor u = cast(eq(target, 0.0), distance.dtype());  // unchanged pixels
  Tensor c = cast(eq(target, 1.0), distance.dtype());  // changed pixels
  Tensor hinge = relu(o.margin - distance);
  Tensor map = u * distance * distance + c * hinge * hinge;
  if (r != Reduction::mean) return apply_reduction(map, r);
  return sum(u * distance * distance) / (sum(u) + 1e-4) +
         sum(c * hinge * hinge) / (sum(c) + 1e-4);
}

LATHE_REGISTER_OPS(batch_balanced_contrastive_loss) {
  registry.add(OpDef("batch_balanced_contrastive_loss", "metric_learning")
                   .summary("class-balanced contrastive loss of a change-detection distance map")
                   .paper("SemiCD-VL: Visual-Language Model Guidance Makes Better "
                          "Semi-supervised Change Detector")
                   .input("distance")
                   .input("target", Kind::integer)
                   .options<BatchBalancedContrastiveLossOptions>()
                   .attr("margin", &BatchBalancedContrastiveLossOptions::margin,
                         "changed pixels cost relu(margin - d)^2")
                   .attr("reduction", &BatchBalancedContrastiveLossOptions::reduction,
                         "mean (class-balanced) | sum | none (per-pixel map)")
                   .output("loss")
                   .own_reduction("'mean' balances the two classes: each term is divided by its "
                                  "own pixel count")
                   .run(batch_balanced_contrastive_loss));
}

}  // namespace lathe
