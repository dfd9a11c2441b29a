// similarity_preserving_loss: similarity-preserving KD, student features s [B, ...] and
// teacher features t [B, ...] (flattened; the teacher detached):
//   G = normalize_rows(x x^T) for each side (F.normalize, eps 1e-12),
//   L = ||G^t - G^s||_F^2 / B^2.
// Paper: "Similarity-Preserving Knowledge Distillation" (Tung, Mori, ICCV 2019),
// https://arxiv.org/abs/1907.09682; RepDistiller distiller_zoo/SP.py (Similarity).
// The weight (gamma 3000 in the paper, beta in RepDistiller) is the caller's; several layer
// pairs are summed by the caller. Reduction: batch-level (sum over B^2 divided by B^2).
// Composite.
#include "losses/distill/common.h"
#include "losses/distill/feature.h"

namespace lathe {

using namespace distill;

Tensor similarity_preserving_loss(const Tensor& student, const Tensor& teacher) {
  const char* op = "similarity_preserving_loss";
  check_floating(op, "student", student);
  LATHE_CHECK(student.dim() >= 1, "[", op, "] student must be [B, ...], got ", student.shape());
  int64_t b = student.shape()[0];
  auto gram = [&](const Tensor& x) {
    return l2_normalize(matmul(x, transpose(x, 0, 1)), 1);                // [B, B]
  };
  Tensor d = gram(flatten_batch(op, "teacher", teacher, b).detach()) -
             gram(flatten_batch(op, "student", student, b));              // [B, B]
  return sum(d * d) / double(b * b);
}

LATHE_REGISTER_OPS(similarity_preserving_loss) {
  registry.add(OpDef("similarity_preserving_loss", "distillation")
                   .summary("||normalize(G_t) - normalize(G_s)||_F^2 / B^2 of the batch Gram "
                            "matrices")
                   .paper("Similarity-Preserving Knowledge Distillation")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .output("loss")
                   .own_reduction("batch-level: squared Frobenius norm over B^2")
                   .run(similarity_preserving_loss));
}

}  // namespace lathe
