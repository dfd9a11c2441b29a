// hinge_embedding_loss: for distances x and labels y of the same shape,
//   l = [y != -1] x + [y != 1] max(0, margin - x),
// so x where y = 1 and max(0, margin - x) where y = -1 (any other label gets both terms, as in
// PyTorch's kernel), PyTorch's F.hinge_embedding_loss. Reduction 'mean' (every element,
// default), 'sum', 'none'.
// Source: torch.nn.functional.hinge_embedding_loss (PyTorch 1.13); not in the catalog.
// Defaults: margin 1.0 (PyTorch accepts any margin; so does lathe).
// Gradient (autograd): 1 where y = 1, -[x <= margin] where y = -1; at the kink x = margin
// the subgradient is PyTorch's clamp_min one (-1). The
// labels are constants (kNoGrad). Composite.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                            const HingeEmbeddingLossOptions& o) {
  const char* op = "hinge_embedding_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction reduction = parse_reduction(op, o.reduction);
  Tensor y = target.detach();
  Tensor hinge = clamp(o.margin - input, 0.0);  // clamp, not relu: the kink's subgradient
  Tensor zero = scalar_like(0.0, input);
  Tensor loss = where(ne(y, 1.0), hinge, zero) + where(ne(y, -1.0), input, zero);
  return apply_reduction(loss, reduction);
}

LATHE_REGISTER_OPS(hinge_embedding_loss) {
  registry.add(OpDef("hinge_embedding_loss", "classification")
                   .summary("x for similar pairs (y = 1), max(0, margin - x) for dissimilar "
                            "(F.hinge_embedding_loss)")
                   .paper("torch.nn.functional.hinge_embedding_loss (PyTorch parity)")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<HingeEmbeddingLossOptions>()
                   .attr("margin", &HingeEmbeddingLossOptions::margin,
                         "distance below which a dissimilar pair is penalised")
                   .attr("reduction", &HingeEmbeddingLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(hinge_embedding_loss));
}

}  // namespace lathe
