// ebv_generation_loss: the generation loss of Equiangular Basis Vectors. Rows W [N, d]
// (initialized N(0, 1) by the caller):
//   W^ = W / max(|W|, 1e-12) row-wise,   M = |W^ W^T| - I,   L = sum_{i,j} relu(M_ij - thr)
// (the diagonal gives relu(-thr) = 0), reduced 'sum' (default), 'mean' or 'none' ([N, N]).
// Generation (the caller's procedure): SGD on W (lr 1e-3), rows re-normalized before every
// step, until max_{i != j} |cos| <= thr + 1e-4; large N computes M in row slices.
// Paper: "Equiangular Basis Vectors" (catalog: classification.md, confidence 'code (port)').
// Defaults: thr 0.002, reduction 'sum'.
// Gradient (autograd): sign(cos_ij) 1[|cos_ij| > thr] through the Gram matrix and the
// normalization; already orthogonal rows give 0.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor ebv_generation_loss(const Tensor& weight, const EbvGenerationLossOptions& o) {
  const char* op = "ebv_generation_loss";
  check_floating(op, "weight", weight);
  check_dim(op, "weight", weight, 2);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.thr >= 0, "[", op, "] thr must be >= 0, got ", o.thr);
  int64_t n = weight.shape()[0];
  Tensor w = weight / sqrt(maximum(sum(weight * weight, {1}, true), 1e-24));   // [N, d]
  Tensor ids = arange(n, DType::i64, weight.device());                          // [N]
  Tensor eye = cast(one_hot(ids, n), weight.dtype());                           // [N, N]
  Tensor m = abs(matmul(w, transpose(w, 0, 1))) - eye;                          // [N, N]
  return apply_reduction(relu(m - o.thr), r);
}

LATHE_REGISTER_OPS(ebv_generation_loss) {
  registry.add(OpDef("ebv_generation_loss", "classification")
                   .summary("equiangular basis generation: sum relu(|cos(w_i, w_j)| - thr)")
                   .paper("Equiangular Basis Vectors")
                   .input("weight")
                   .options<EbvGenerationLossOptions>()
                   .attr("thr", &EbvGenerationLossOptions::thr, "allowed |cos|, >= 0")
                   .attr("reduction", &EbvGenerationLossOptions::reduction,
                         "none ([N, N]) | mean | sum (default)")
                   .output("loss")
                   .run(ebv_generation_loss));
}

}  // namespace lathe
