// comp_sum_loss: the comp-sum family of logits z [B, C] against class indices y [B]:
//   u = sum_{k != y} exp(z_k - z_y) = 1/p_y - 1,  p = softmax(z),
//   l = Phi^tau(u),  Phi^tau(u) = log(1 + u) (tau = 1), ((1 + u)^(1 - tau) - 1)/(1 - tau) else,
//     = (p_y^(tau - 1) - 1)/(1 - tau),
// reduced 'mean' over the batch (default), 'sum' or 'none'. Members: tau = 0 sum-exponential
// sum_{k != y} e^(z_k - z_y); tau = 1 cross-entropy; tau in (1, 2) generalized cross-entropy
// (1 - p_y^q)/q with q = tau - 1; tau = 2 mean absolute error 1 - p_y.
// Paper: "Cross-Entropy Loss Functions: Theoretical Analysis and Applications" (Mao, Mohri,
// Zhong, ICML 2023; catalog: classification.md, confidence 'memory').
// Defaults: none for tau, a required attribute (NaN until set: an error naming the op); the
// paper's experiments compare tau in {0, 1, 1.5, 2}. reduction 'mean'.
// Checked against the paper (search of stored pages): its arXiv text (2304.07288v2) and the
// same authors' "H-Consistency Bounds: Characterization and Extensions" (NeurIPS 2023) are
// stored, but only their abstracts and introductions could be read. These confirm the family
// (cross-entropy, generalized cross-entropy, mean absolute error and other cross-entropy-like
// losses, as a function of the sum of exponentiated score differences) but not the Phi^tau
// parameterisation, which follows the catalog; its four members above are checked by tests.
// Stable forward: s = -log p_y = softmax_cross_entropy(z, y), l = expm1((1 - tau) s)/(1 - tau),
// continuous at tau = 1. expm1(x) is 2 tanh(x/2) / (1 - tanh(x/2)) for |x| < 1 (no cancellation
// at tau = 1 +- 1e-9) and exp(x) - 1 above. Gradient (autograd): p_y^(tau - 1) (p - e_y).
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

namespace {
// expm1(x) accurate near 0 with the kit's ops; the small branch sees only |x| < 1, so that
// neither branch's derivative is infinite where the other is taken.
Tensor expm1_of(const Tensor& x) {
  Tensor small = lt(abs(x), 1.0);                                     // [B] bool
  Tensor th = tanh(where(small, x, scalar_like(0.0, x)) * 0.5);       // [B]
  return where(small, 2.0 * th / (1.0 - th), exp(x) - 1.0);
}
}  // namespace

Tensor comp_sum_loss(const Tensor& input, const Tensor& target, const CompSumLossOptions& o) {
  const char* op = "comp_sum_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(!std::isnan(o.tau), "[", op, "] tau is required (0: sum-exponential, 1: "
              "cross-entropy, (1, 2): generalized cross-entropy, 2: mean absolute error)");
  LATHE_CHECK(o.tau >= 0, "[", op, "] tau must be >= 0, got ", o.tau);
  LATHE_CHECK(is_integral(target.dtype()) && target.shape() == Shape{input.shape()[0]}, "[", op,
              "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.dtype(), " ", target.shape());
  Tensor s = softmax_cross_entropy(input, target.to(DType::i64));    // [B] -log p_y
  Tensor rows = o.tau == 1.0 ? s : expm1_of((1.0 - o.tau) * s) / (1.0 - o.tau);
  return apply_reduction(rows, reduction);
}

LATHE_REGISTER_OPS(comp_sum_loss) {
  registry.add(OpDef("comp_sum_loss", "classification")
                   .summary("comp-sum losses (p_y^(tau-1) - 1)/(1 - tau): CE, GCE, MAE, ...")
                   .paper("Cross-Entropy Loss Functions: Theoretical Analysis and Applications")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<CompSumLossOptions>()
                   .attr("tau", &CompSumLossOptions::tau,
                         "required, >= 0: 0 sum-exp, 1 CE, (1, 2) GCE q = tau - 1, 2 MAE")
                   .attr("reduction", &CompSumLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(comp_sum_loss));
}

}  // namespace lathe
