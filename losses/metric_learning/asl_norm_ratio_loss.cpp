// asl_norm_ratio_loss: ASL's norm-ratio loss of two augmented views of each anchor, f_big (the
// larger crop scale) and f_small [B, D]:
//   l_i = exp(1 - ||f_big_i|| / ||f_small_i||)
// Paper: "A Benchmark and Asymmetrical-Similarity Learning for Practical Image Copy Detection"
// (Wang et al., AAAI 2023); code WangWenhao0716/ASL train.py, as the catalog quotes it. Picking
// the two views (different scales) is the caller's sampling. Used beside a metric loss.
// Defaults: reduction 'mean' over anchors.
// Edge cases: a zero small-view feature gives ||f_big|| / 0 = inf and l = 0 (a zero big view
// too: 0/0, avoid it); norms have a zero gradient at 0.
// Gradients: autograd.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor asl_norm_ratio_loss(const Tensor& f_big, const Tensor& f_small,
                           const AslNormRatioLossOptions& o) {
  const char* op = "asl_norm_ratio_loss";
  pairs::check_embeddings(op, "f_big", f_big);
  pairs::check_embeddings(op, "f_small", f_small);
  check_same_shape(op, "f_big", f_big, "f_small", f_small);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor big = pairs::safe_sqrt(sum(f_big * f_big, {1}));        // [B]
  Tensor small = pairs::safe_sqrt(sum(f_small * f_small, {1}));  // [B]
  return apply_reduction(exp(1.0 - big / small), r);
}

LATHE_REGISTER_OPS(asl_norm_ratio_loss) {
  registry.add(OpDef("asl_norm_ratio_loss", "metric_learning")
                   .summary("exp(1 - ||f_big|| / ||f_small||) of two crop scales (ASL)")
                   .paper("A Benchmark and Asymmetrical-Similarity Learning for Practical Image "
                          "Copy Detection")
                   .input("f_big")
                   .input("f_small")
                   .options<AslNormRatioLossOptions>()
                   .attr("reduction", &AslNormRatioLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(asl_norm_ratio_loss));
}

}  // namespace lathe
