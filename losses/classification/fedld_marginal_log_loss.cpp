// fedld_marginal_log_loss: FedLD's local objective, cross-entropy plus a marginal log penalty on
// the batch's softmax matrix P = softmax(z) [B, C]:
//   L = CE_mean(z, y) + lambda log(1 + ||P||_F^2),
// the Frobenius norm over the whole [B, C] matrix (not per row), so the penalty is batch-level:
// the loss declares its own reduction.
// Paper: "Tackling Data Heterogeneity in Federated Learning via Loss Decomposition" (FedLD;
// catalog: classification.md, official code). FedLD's server-side principal-gradient
// aggregation is an optimizer procedure, not part of this op.
// Defaults: lambda 0.03 (--margin_loss_penalty).
// Gradient (autograd): CE's, plus 2 lambda P / (1 + ||P||^2) through the softmax Jacobian.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor fedld_marginal_log_loss(const Tensor& input, const Tensor& target,
                               const FedldMarginalLogLossOptions& o) {
  const char* op = "fedld_marginal_log_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) &&
                  target.shape() == Shape{input.shape()[0]},
              "[", op, "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.defined() ? target.shape() : Shape{});
  int64_t c = input.shape()[1];
  for (int64_t k : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(k >= 0 && k < c, "[", op, "] target ", k, " out of range [0, ", c, ")");
  Tensor ce = cross_entropy(input, target);          // [] mean over the batch
  Tensor p = softmax(input, 1);                      // [B, C]
  return ce + o.lam * log(1.0 + sum(p * p));
}

LATHE_REGISTER_OPS(fedld_marginal_log_loss) {
  registry.add(OpDef("fedld_marginal_log_loss", "classification")
                   .summary("cross-entropy + lambda log(1 + ||softmax(z)||_F^2) over the batch")
                   .paper("Tackling Data Heterogeneity in Federated Learning via Loss "
                          "Decomposition")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<FedldMarginalLogLossOptions>()
                   .attr("lam", &FedldMarginalLogLossOptions::lam, "weight of the penalty")
                   .own_reduction("CE mean plus a batch-level penalty (the Frobenius norm of "
                                  "the whole softmax matrix)")
                   .output("loss")
                   .run(fedld_marginal_log_loss));
}

}  // namespace lathe
