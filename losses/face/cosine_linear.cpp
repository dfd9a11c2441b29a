// cosine_linear: the cosine head of face recognition, cos = (x / |x|) (W / |W_row|)^T with
// F.normalize's eps 1e-12 (a zero row gives cosines 0); no gain, no bias.
// Papers: "SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face Recognition" (code
// zhongyy/SFace SFace_torch/head/metrics.py); "Unified Negative Pair Generation toward
// Well-discriminative Feature Space for Face Recognition". It returns cosines, not a loss, so
// it registers in family nn. Gradients: autograd through the core normalize op.
#include "losses/face/face_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor cosine_linear(const Tensor& x, const Tensor& weight) {
  const char* op = "cosine_linear";
  pairs::check_embeddings(op, "x", x);
  pairs::check_embeddings(op, "weight", weight);
  check_shape(op, "weight", weight, {weight.size(0), x.size(1)});
  return matmul(normalize(x, 2.0, 1), normalize(weight, 2.0, 1).t());       // [B, C]
}

LATHE_REGISTER_OPS(cosine_linear) {
  registry.add(OpDef("cosine_linear", "nn")
                   .summary("cosines of normalized features to normalized class weights (face "
                            "recognition heads)")
                   .paper("SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face "
                          "Recognition")
                   .input("x")
                   .input("weight")
                   .output("y")
                   .run(cosine_linear));
}

}  // namespace lathe
