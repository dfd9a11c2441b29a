// arcface_loss: ArcFace as pytorch-metric-learning 2.x computes it (losses.ArcFaceLoss,
// CosineSimilarity on L2-normalized rows, MeanReducer). With c_ij the cosine of embedding i
// [B, D] and class weight j [C, D], theta = arccos(c_iy) for the target class and m the margin
// in radians:
//   target logit  cos(theta + m)             if theta <= pi - m
//                 cos(theta) - m sin(m)       otherwise (keeps the logit decreasing in theta)
//   l_i = CE(scale * logits_i, y_i)
// cos(theta + m) is computed as c cos m - sqrt(1 - c^2) sin m (theta in [0, pi], so the sine is
// >= 0; lathe has no acos), the same function; c is clamped to [-1, 1] as PML does.
// Paper: "ArcFace: Additive Angular Margin Loss for Deep Face Recognition" (Deng et al., CVPR
// 2019). Code read: PML 2.9 losses/arcface_loss.py, losses/large_margin_softmax_loss.py.
// NOTE: PML keeps its weight as [D, C]; the op takes one row per class, [C, D] (the oracle
// transposes).
// Defaults: margin 28.6 degrees (0.5 rad), scale 64 (PML). Reduction 'mean' over samples.
// Gradients: autograd; at c = +-1 the sine's derivative is infinite (as acos's), so keep the
// target cosine inside (-1, 1) in gradchecks.
#include <cmath>

#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor arcface_loss(const Tensor& embeddings, const Tensor& labels, const Tensor& weight,
                    const ArcfaceLossOptions& o) {
  const char* op = "arcface_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  pairs::check_embeddings(op, "weight", weight);
  check_shape(op, "weight", weight, {weight.size(0), embeddings.size(1)});
  const int64_t classes = weight.size(0);
  pairs::check_label_range(op, labels, classes);
  Reduction r = parse_reduction(op, o.reduction);
  const double m = o.margin * M_PI / 180.0;
  Tensor y = cast(labels, DType::i64);
  Tensor cosine = matmul(pairs::l2_normalize(embeddings), pairs::l2_normalize(weight).t());
  Tensor c = clamp(pairs::take_rows(cosine, y), -1.0, 1.0);                   // [B]
  Tensor sine = pairs::safe_sqrt(1.0 - c * c);                                // [B]
  Tensor with_margin = where(ge(c, std::cos(M_PI - m)), c * std::cos(m) - sine * std::sin(m),
                             c - m * std::sin(m));                           // [B]
  Tensor target = cast(pairs::same_label(y, arange(classes, DType::i64, y.device())),
                       cosine.dtype());                                       // [B, C]
  Tensor logits = cosine + target * unsqueeze(with_margin - c, 1);            // [B, C]
  Tensor logp = log_softmax(o.scale * logits, 1);
  return apply_reduction(-pairs::take_rows(logp, y), r);                      // [B]
}

LATHE_REGISTER_OPS(arcface_loss) {
  registry.add(OpDef("arcface_loss", "metric_learning")
                   .summary("additive angular margin softmax loss (PML ArcFaceLoss)")
                   .paper("ArcFace: Additive Angular Margin Loss for Deep Face Recognition")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .input("weight")
                   .options<ArcfaceLossOptions>()
                   .attr("margin", &ArcfaceLossOptions::margin, "angular margin in degrees")
                   .attr("scale", &ArcfaceLossOptions::scale, "the logits' scale")
                   .attr("reduction", &ArcfaceLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(arcface_loss));
}

}  // namespace lathe
