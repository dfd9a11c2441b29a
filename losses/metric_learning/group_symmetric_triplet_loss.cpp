// group_symmetric_triplet_loss: GCoNet+'s group-based symmetric triplet (GST) loss. A batch is
// two image groups concatenated; f [rows, C] holds one globally pooled conv5 feature per image
// (not normalized). A = f[:n], B = f[n:] with n = floor(rows / 2), h = floor(n / 2):
//   L = w [TML(A[:h], A[-h:], B[:h]) + TML(B[:h], B[-h:], A[:h])]
// TML is triplet_margin_loss (p 2, eps 1e-6, mean over the h triplets): anchors the first half
// of a group, positives its last half, negatives the first half of the other group.
// Paper: "GCoNet+: A Stronger Group Collaborative Co-Salient Object Detector" (Zheng et al.);
// code ZhengPeng7/GCoNet_plus loss.py (DSLoss, triplet_loss 'vanilla'), config.py
// (triplet_loss_margin 0.1, lambdas_sal_last['triplet'] 3), as the catalog quotes them.
// An odd row count gives B one extra row; odd n leaves each group's middle row unused.
// n < 2 (h = 0, where A[-0:] is the whole group in the reference) is an error.
// Defaults: margin 0.1, weight 3. Reduction: a mean per direction, summed (a scalar).
// Gradients: as triplet_margin_loss (hinge kinks).
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor group_symmetric_triplet_loss(const Tensor& features,
                                    const GroupSymmetricTripletLossOptions& o) {
  const char* op = "group_symmetric_triplet_loss";
  pairs::check_embeddings(op, "features", features);
  LATHE_CHECK(features.size(0) >= 4, "[", op,
              "] features must hold two groups of at least 2 rows, got ", features.size(0),
              " rows");
  LATHE_CHECK(o.margin >= 0.0, "[", op, "] margin must be >= 0, got ", o.margin);
  const int64_t n = features.size(0) / 2, h = n / 2;
  Tensor a = features.narrow(0, 0, n);                          // [n, C]
  Tensor b = features.narrow(0, n, features.size(0) - n);       // [n or n + 1, C]
  TripletMarginLossOptions t;
  t.margin = o.margin;
  Tensor la = triplet_margin_loss(a.narrow(0, 0, h), a.narrow(0, n - h, h), b.narrow(0, 0, h), t);
  Tensor lb = triplet_margin_loss(b.narrow(0, 0, h), b.narrow(0, b.size(0) - h, h),
                                  a.narrow(0, 0, h), t);
  return o.weight * (la + lb);
}

LATHE_REGISTER_OPS(group_symmetric_triplet_loss) {
  using O = GroupSymmetricTripletLossOptions;
  registry.add(OpDef("group_symmetric_triplet_loss", "metric_learning")
                   .summary("GCoNet+ GST: symmetric triplets between two image groups")
                   .paper("GCoNet+: A Stronger Group Collaborative Co-Salient Object Detector")
                   .input("features")
                   .options<O>()
                   .attr("margin", &O::margin, "the triplets' margin, >= 0")
                   .attr("weight", &O::weight, "the loss weight")
                   .output("loss")
                   .own_reduction("a mean over triplets per direction, the two summed")
                   .run(group_symmetric_triplet_loss));
}

}  // namespace lathe
