// cosine_embedding_loss: for rows x1, x2 [N, D] (or [D]) and labels y [N] (or []) in {-1, 1},
//   cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)),
//   l = 1 - cos where y = 1, max(0, cos - margin) where y = -1 (0 for any other label),
// PyTorch's F.cosine_embedding_loss (the 1e-12 is its kernel's EPSILON, inside each squared
// norm). Reduction 'mean' (over rows, default), 'sum', 'none' ([N]).
// Source: torch.nn.functional.cosine_embedding_loss (PyTorch 1.13); not in the catalog.
// Placed in the regression family (it regresses a similarity onto the label; the metric-learning
// folder belongs to another branch).
// Defaults: margin 0 (must lie in [-1, 1], the range of a cosine), reduction 'mean'.
// Gradient (autograd); the 1e-12 keeps a zero row finite. Kink at cos = margin for y = -1,
// where the subgradient is PyTorch's clamp_min one (the sloped side's).
// The labels are constants (kNoGrad). Composite.
#include "losses/regression/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossOptions& o) {
  const char* op = "cosine_embedding_loss";
  check_floating(op, "input1", input1);
  check_floating(op, "input2", input2);
  check_floating(op, "target", target);
  check_same_shape(op, "input1", input1, "input2", input2);
  LATHE_CHECK(input1.dim() == 1 || input1.dim() == 2, "[", op,
              "] inputs must be [N, D] or [D], got ", input1.shape());
  Shape rows = input1.dim() == 2 ? Shape{input1.shape()[0]} : Shape{};
  LATHE_CHECK(target.shape() == rows, "[", op, "] target must have shape ", rows, " for inputs ",
              input1.shape(), ", got ", target.shape());
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.margin >= -1 && o.margin <= 1, "[", op, "] margin must lie in [-1, 1], got ",
              o.margin);
  const double kEps = 1e-12;
  Tensor dot = sum(input1 * input2, {-1});                               // [N]
  Tensor sq1 = sum(input1 * input1, {-1}) + kEps;
  Tensor sq2 = sum(input2 * input2, {-1}) + kEps;
  Tensor cos = dot / sqrt(sq1 * sq2);                                    // [N]
  Tensor y = target.detach();
  Tensor zero = scalar_like(0.0, cos);
  Tensor hinge = clamp(cos - o.margin, 0.0);
  Tensor loss = where(eq(y, 1.0), 1.0 - cos, zero) + where(eq(y, -1.0), hinge, zero);
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(cosine_embedding_loss) {
  registry.add(OpDef("cosine_embedding_loss", "regression")
                   .summary("1 - cos for similar pairs, max(0, cos - margin) for dissimilar "
                            "(F.cosine_embedding_loss)")
                   .paper("torch.nn.functional.cosine_embedding_loss (PyTorch parity)")
                   .input("input1")
                   .input("input2")
                   .input("target", Kind::floating, kNoGrad)
                   .options<CosineEmbeddingLossOptions>()
                   .attr("margin", &CosineEmbeddingLossOptions::margin,
                         "in [-1, 1]: dissimilar pairs are penalised above it")
                   .attr("reduction", &CosineEmbeddingLossOptions::reduction,
                         "none ([N]) | mean | sum")
                   .output("loss")
                   .run(cosine_embedding_loss));
}

}  // namespace lathe
