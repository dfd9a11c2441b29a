// loki_frechet_predict: Loki's geometry-aware prediction, the Frechet mean of the predicted
// label distribution under a label metric d:
//   objective[b, y] = sum_i P(lambda_i | x_b) d(y, lambda_i)^2 = (P D2^T)[b, y]
//   prediction[b]   = argmin_y objective[b, y]     (first index on ties, as np.argmin)
// for probabilities P [B, K] over the K training labels and squared distances D2 [Y, K] from
// every candidate label y to each training label.
// Paper: "Geometry-Aware Adaptation for Pretrained Models" (Loki, Roberts et al., NeurIPS
// 2023); code SprocketLab/loki (catalog: other.md, which files it under ops/metric; it lives
// here this round, next to the rest of the family). The objective is a matmul and carries
// gradients; the arg-min does not. The straight-through and polytope variants of the
// reference's fine-tuning code are procedure-level and not offered. Composite (autograd).
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

Tensor loki_frechet_objective(const Tensor& probs, const Tensor& sq_dist) {
  const char* op = "loki_frechet_predict";
  check_floating(op, "probs", probs);
  check_floating(op, "sq_dist", sq_dist);
  check_dim(op, "probs", probs, 2);
  check_dim(op, "sq_dist", sq_dist, 2);
  LATHE_CHECK(probs.shape()[1] == sq_dist.shape()[1], "[", op, "] probs ", probs.shape(),
              " and sq_dist ", sq_dist.shape(), " must share the training-label dim K");
  return matmul(probs, transpose(sq_dist, 0, 1));                     // [B, Y]
}

Tensor loki_frechet_predict(const Tensor& probs, const Tensor& sq_dist) {
  Tensor objective = loki_frechet_objective(probs, sq_dist);          // [B, Y]
  return argmin(objective.detach(), -1);                              // [B] i64
}

LATHE_REGISTER_OPS(loki_frechet_predict) {
  registry.add(OpDef("loki_frechet_predict", "other")
                   .summary("Loki Frechet-mean prediction argmin_y sum_i P_i d(y, lambda_i)^2")
                   .paper("Geometry-Aware Adaptation for Pretrained Models")
                   .input("probs")
                   .input("sq_dist")
                   .output("objective")
                   .output("prediction", Kind::integer)
                   .run([](const OpCall& c) {
                     Tensor objective = loki_frechet_objective(c.in("probs"), c.in("sq_dist"));
                     return Outputs{objective, argmin(objective.detach(), -1)};
                   }));
}

}  // namespace lathe
