// lasso_objective_loss: the unsupervised ISTA objective of deep-unfolded sparse recovery.
// Estimates x^ [B, N] (the network's output), measurements y = A x + n [B, M], sensing
// matrix A [M, N]:
//   l_b = 0.5 |y_b - A x^_b|_2^2 + lam |x^|_1,
// reduced 'mean' over the batch (default), 'sum' or 'none' ([B]). The supervised alternative is
// |x^ - x|^2 (mse_loss).
// Paper: "Comparison between Supervised and Unsupervised Learning in Deep Unfolded Sparse Signal
// Recovery" (catalog: regression.md, confidence 'memory').
// Checked (search of stored pages): neither code nor the paper body was found (only citations of
// arXiv 2509.01331); the objective is the standard ISTA form the catalog gives (the 0.5, lam
// per sample, mean over the batch).
// Defaults: lam required (>= 0; 0 is least squares), reduction 'mean'.
// Gradient (autograd): -A^T (y - A x^) + lam sign(x^), subgradient 0 at x^ = 0.
// y and A are data (constants).
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor lasso_objective_loss(const Tensor& input, const Tensor& measurements,
                            const Tensor& matrix, const SparseObjectiveLossOptions& o) {
  const char* op = "lasso_objective_loss";
  check_floating(op, "input", input);
  check_floating(op, "measurements", measurements);
  check_floating(op, "matrix", matrix);
  check_dim(op, "input", input, 2);
  check_dim(op, "matrix", matrix, 2);
  LATHE_CHECK(matrix.shape()[1] == input.shape()[1], "[", op, "] matrix ", matrix.shape(),
              " must be [M, N] for the input ", input.shape());
  check_shape(op, "measurements", measurements, {input.shape()[0], matrix.shape()[0]});
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(!std::isnan(o.lam), "[", op, "] lam is required (the sparsity weight, >= 0)");
  LATHE_CHECK(o.lam >= 0, "[", op, "] lam must be >= 0, got ", o.lam);
  Tensor at = transpose(matrix.detach(), 0, 1);                               // [N, M]
  Tensor res = measurements.detach() - matmul(input, at);                     // [B, M]
  Tensor rows = 0.5 * sum(res * res, {1}) + o.lam * sum(abs(input), {1});   // [B]
  return apply_reduction(rows, r);
}

LATHE_REGISTER_OPS(lasso_objective_loss) {
  registry.add(OpDef("lasso_objective_loss", "regression")
                   .summary("unsupervised LASSO objective 0.5 |y - A x^|^2 + lam |x^|_1")
                   .paper("Comparison between Supervised and Unsupervised Learning in Deep "
                          "Unfolded Sparse Signal Recovery")
                   .input("input")
                   .input("measurements", Kind::floating, kNoGrad)
                   .input("matrix", Kind::floating, kNoGrad)
                   .options<SparseObjectiveLossOptions>()
                   .attr("lam", &SparseObjectiveLossOptions::lam,
                         "sparsity weight >= 0 (required)")
                   .attr("reduction", &SparseObjectiveLossOptions::reduction,
                         "none | mean | sum, over the batch")
                   .output("loss")
                   .run(lasso_objective_loss));
}

}  // namespace lathe
