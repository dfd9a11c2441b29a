// additive_margin_logits: the margin-softmax heads of face recognition. Only the target column
// of the cosines changes:
//   arcface: phi = cos(theta_y + m) = cos cos m - sin sin m,  sin = sqrt(clamp(1 - cos^2, 0, 1));
//            easy_margin: phi = cos where cos <= 0; otherwise phi = cos - sin(pi - m) m where
//            cos <= cos(pi - m) (keeps phi monotone)
//   cosface / am_softmax: phi = cos_y - m
//   logits = s (onehot phi + (1 - onehot) cos); the loss is cross_entropy on them.
// Papers: "Unified Negative Pair Generation toward Well-discriminative Feature Space for Face
// Recognition" (the heads of its repository); "SFace" (baselines). Defaults: arcface, s 64,
// m 0.5 (CosFace: m 0.35; AM-softmax: s 30, m 0.35). It returns logits, not a loss: family nn.
// Gradients: autograd; infinite at cos = +-1 (the sqrt), kinks at the thresholds.
#include <cmath>

#include "losses/face/face_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor additive_margin_logits(const Tensor& cosine, const Tensor& labels,
                              const AdditiveMarginLogitsOptions& o) {
  const char* op = "additive_margin_logits";
  pairs::check_embeddings(op, "cosine", cosine);
  pairs::check_labels(op, "labels", labels, cosine.size(0));
  pairs::check_label_range(op, labels, cosine.size(1));
  LATHE_CHECK(o.kind == "arcface" || o.kind == "cosface" || o.kind == "am_softmax", "[", op,
              "] kind must be arcface, cosface or am_softmax, got '", o.kind, "'");
  Tensor target = pairs::same_label(cast(labels, DType::i64),
                                    arange(cosine.size(1), DType::i64, cosine.device()));
  Tensor phi;                                                                  // [B, C]
  if (o.kind == "arcface") {
    Tensor sine = sqrt(clamp(1.0 - cosine * cosine, 0.0, 1.0));
    Tensor arc = cosine * std::cos(o.m) - sine * std::sin(o.m);
    const double pi = 3.14159265358979323846;
    phi = o.easy_margin ? where(gt(cosine, 0.0), arc, cosine)
                        : where(gt(cosine, std::cos(pi - o.m)), arc,
                                cosine - std::sin(pi - o.m) * o.m);
  } else {
    phi = cosine - o.m;
  }
  return where(target, phi, cosine) * o.s;
}

LATHE_REGISTER_OPS(additive_margin_logits) {
  using O = AdditiveMarginLogitsOptions;
  registry.add(OpDef("additive_margin_logits", "nn")
                   .summary("ArcFace / CosFace / AM-softmax margin logits of cosines")
                   .paper("Unified Negative Pair Generation toward Well-discriminative Feature "
                          "Space for Face Recognition")
                   .input("cosine")
                   .input("labels", Kind::integer)
                   .options<O>()
                   .attr("kind", &O::kind, "arcface | cosface | am_softmax")
                   .attr("s", &O::s, "scale")
                   .attr("m", &O::m, "margin")
                   .attr("easy_margin", &O::easy_margin, "arcface: keep cos where cos <= 0")
                   .output("y")
                   .run(additive_margin_logits));
}

}  // namespace lathe
