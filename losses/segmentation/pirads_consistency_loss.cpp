// pirads_consistency_loss: the unsupervised consistency term of the second training stage,
// the difference between two branches' predictions [B, C, ...] for the same classes:
//   l = (a[:, k] - b[:, k])^2 for the shared classes k, reduced 'mean' (default), 'sum' or
//   'none' (F.mse_loss on the selected channels).
// Paper: "PI-RADS v2 Compliant Automated Segmentation of Prostate Zones" (catalog:
// segmentation.md, confidence 'paper text', abstract only).
// NOTE (verification): the abstract (arXiv 2309.12970) states only that "the loss penalises
// the difference in predictions from the two branches for the same class"; the distance, what is
// compared (probabilities or logits), which classes are shared and the multi-task weights are
// not stated, and no public code was found (catalog). Searched again here: the abstract pages
// (arXiv 2309.12970, paperswithcode) and a full-text mirror's opening repeat the same sentence;
// the method section could not be read, and no repository of the authors turned up. lathe
// implements the catalog's MSE reading on whatever maps the caller passes (no range check) and
// differentiates both branches.
// Composite.
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor pirads_consistency_loss(const Tensor& input, const Tensor& other,
                               const PiradsConsistencyLossOptions& o) {
  const char* op = "pirads_consistency_loss";
  seg::check_dense(op, "input", input, 2);
  check_floating(op, "other", other);
  check_same_shape(op, "input", input, "other", other);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor a = input, b = other;
  if (!o.shared_classes.empty()) {
    int64_t c = input.shape()[1];
    for (int64_t k : o.shared_classes)
      LATHE_CHECK(k >= 0 && k < c, "[", op, "] shared_classes holds class ", k,
                  ", outside [0, ", c, ")");
    Tensor idx = from_vector(o.shared_classes,
                             {static_cast<int64_t>(o.shared_classes.size())}, input.device());
    a = index_select(a, idx, 1);
    b = index_select(b, idx, 1);
  }
  Tensor d = a - b;
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(pirads_consistency_loss) {
  using O = PiradsConsistencyLossOptions;
  registry.add(OpDef("pirads_consistency_loss", "segmentation")
                   .summary("MSE between two branches' predictions on the shared classes")
                   .paper("PI-RADS v2 Compliant Automated Segmentation of Prostate Zones")
                   .input("input")
                   .input("other")
                   .options<O>()
                   .attr("shared_classes", &O::shared_classes, "channels compared (empty: all)")
                   .attr("reduction", &O::reduction, "none | mean | sum")
                   .output("loss")
                   .run(pirads_consistency_loss));
}

}  // namespace lathe
