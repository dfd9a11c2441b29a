// symface_loss: SymFace's facial-symmetry term. For the faces whose frontalness score exceeds
// the threshold (the caller's selection), the two vertical halves, each mirrored to full
// width, are embedded by the same network:
//   l_i = 1 - cos(f(x_i^L), f(x_i^R)),   the training loss is L_f (ArcFace / AdaFace) + mean l
// Paper: "SymFace: Additional Facial Symmetry Loss for Deep Face Recognition" (arXiv
// 2409.11816). NOTE: confidence 'memory'. The summaries found confirm the structure (L_f + L_rho,
// a RetinaFace-landmark frontalness score, vertically split faces, a loss on the embedding gap
// of the halves) but not the disparity; the cosine form is the catalog's, and no public code
// was found. No selected sample: an empty batch is an error (select at least one face).
// Reduction: mean over the selected samples. Gradients: autograd (core cosine_similarity,
// eps 1e-8 on each norm, as PyTorch).
#include "losses/face/face_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor symface_loss(const Tensor& e_left, const Tensor& e_right, const SymfaceLossOptions& o) {
  const char* op = "symface_loss";
  pairs::check_embeddings(op, "e_left", e_left);
  check_shape(op, "e_right", e_right, e_left.shape());
  check_floating(op, "e_right", e_right);
  LATHE_CHECK(e_left.size(0) > 0, "[", op, "] no selected face (e_left has 0 rows)");
  Reduction r = parse_reduction(op, o.reduction);
  return apply_reduction(1.0 - cosine_similarity(e_left, e_right, 1, 1e-8), r);   // [B]
}

LATHE_REGISTER_OPS(symface_loss) {
  registry.add(OpDef("symface_loss", "face")
                   .summary("SymFace: 1 - cos between the embeddings of a face's mirrored halves")
                   .paper("SymFace: Additional Facial Symmetry Loss for Deep Face Recognition")
                   .input("e_left")
                   .input("e_right")
                   .options<SymfaceLossOptions>()
                   .attr("reduction", &SymfaceLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(symface_loss));
}

}  // namespace lathe
