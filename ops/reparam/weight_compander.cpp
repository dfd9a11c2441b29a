// weight_compander: an odd, saturating, elementwise reparameterization of every weight
//   w_hat = a sign(w) ln(1 + b |w|) / ln(1 + b)            a > 0, b > 0 (learnable scalars)
// slope a b / ln(1 + b) > 1 at 0 when a = 1 (small weights are pushed away from 0), growth only
// logarithmic for large |w| (large weights are compressed): a mu-law compander.
// Paper: "Weight Compander: A Simple Weight Reparameterization for Regularization" (Cakaj,
// Mehnert, Yang, IJCNN 2023, arXiv 2306.16993). Confidence "memory": the curve above is the
// catalog's PLACEHOLDER with the paper's stated properties (odd, elementwise, restricts
// magnitudes, forces weights away from 0, hyperparameters learnable), NOT verified as the
// paper's formula: in this round too only the abstract and the first page of the paper were
// reachable (the search corpora return page openings), and no code exists. Replace the curve
// when Section III is read; the op's inputs (w, a, b) keep the "learnable WC" form.
// Defaults: the module-free op takes a and b as tensors (scalars, broadcast).
// Composite: d/dw = a b / ((1 + b|w|) ln(1 + b)) (also at w = 0), d/da, d/db by autograd; the
// second derivative jumps at 0.
#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

Tensor weight_compander(const Tensor& w, const Tensor& a, const Tensor& b) {
  const char* op = "weight_compander";
  check_floating(op, "w", w);
  check_floating(op, "a", a);
  check_floating(op, "b", b);
  LATHE_CHECK(a.numel() == 1 && b.numel() == 1, "[", op, "] a and b must hold one value each, "
              "got ", a.shape(), " and ", b.shape());
  {
    NoGradGuard no_grad;
    LATHE_CHECK(a.item() > 0.0 && b.item() > 0.0, "[", op, "] a and b must be > 0, got ",
                a.item(), " and ", b.item());
  }
  Shape ones = Shape::filled(w.dim(), 1);
  Tensor av = reshape(a, ones), bv = reshape(b, ones);           // [1, ...]
  // Each sign's branch on its own half-line, so the slope at w = 0 is the true a b / ln(1 + b)
  // (sign(w) ln(1 + b|w|) would give autograd's 0 there and never move a zero weight).
  Tensor positive = ge(w, 0.0);                                  // [...]
  Tensor up = log1p(bv * where(positive, w, 0.0));               // w >= 0
  Tensor down = -log1p(-bv * where(positive, 0.0, w));           // w < 0
  return av * where(positive, up, down) / log1p(bv);             // w's shape
}

LATHE_REGISTER_OPS(weight_compander) {
  registry.add(OpDef("weight_compander", "reparam")
                   .summary("weight compander a sign(w) ln(1 + b|w|) / ln(1 + b) (a placeholder "
                            "mu-law curve; the paper's formula is unverified)")
                   .paper("Weight Compander: A Simple Weight Reparameterization for "
                          "Regularization")
                   .input("w")
                   .input("a")
                   .input("b")
                   .output("w_hat")
                   .run([](const OpCall& c) {
                     return Outputs{weight_compander(c.in("w"), c.in("a"), c.in("b"))};
                   }));
}

}  // namespace lathe
