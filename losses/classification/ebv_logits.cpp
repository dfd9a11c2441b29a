// ebv_logits: the classifier of Equiangular Basis Vectors. Features f [B, d], a frozen basis
// E [N, d] (unit rows, from ebv_generation_loss's procedure), temperature tau:
//   logits = (f / max(|f|, 1e-12)) E^T / tau    [B, N];
// train with cross_entropy(logits, y), predict the argmax (the nearest basis vector).
// Registered in family nn, not classification: it returns logits, not a loss (the
// classification family's ops keep the loss contract).
// Paper: "Equiangular Basis Vectors" (catalog: classification.md, confidence 'code (port)').
// Defaults: tau 0.07.
// Gradient (autograd): into f through the matmul and the normalization; E gets none (frozen).
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor ebv_logits(const Tensor& features, const Tensor& basis, double tau) {
  const char* op = "ebv_logits";
  check_floating(op, "features", features);
  check_floating(op, "basis", basis);
  check_dim(op, "features", features, 2);
  check_dim(op, "basis", basis, 2);
  LATHE_CHECK(basis.shape()[1] == features.shape()[1], "[", op, "] basis ", basis.shape(),
              " and features ", features.shape(), " must share d");
  LATHE_CHECK(tau > 0, "[", op, "] tau must be > 0, got ", tau);
  Tensor f = features / sqrt(maximum(sum(features * features, {1}, true), 1e-24));   // [B, d]
  return matmul(f, transpose(basis.detach(), 0, 1)) / tau;                          // [B, N]
}

LATHE_REGISTER_OPS(ebv_logits) {
  registry.add(OpDef("ebv_logits", "nn")
                   .summary("equiangular-basis logits normalize(f) E^T / tau (frozen basis)")
                   .paper("Equiangular Basis Vectors")
                   .input("features")
                   .input("basis", Kind::floating, kNoGrad)
                   .attr("tau", 0.07, "temperature > 0")
                   .output("logits")
                   .run([](const OpCall& c) {
                     return Outputs{ebv_logits(c.in("features"), c.in("basis"), c.f("tau"))};
                   }));
}

}  // namespace lathe
