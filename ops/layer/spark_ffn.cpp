// spark_ffn: Spark Transformer's FFN, a low-cost predictor selecting the active neurons
//   pred = x[..., :r] K1                          [..., F]  (the predictor: first r input dims)
//   a    = statistical_topk(pred, k)               relu(pred - theta), theta = mean + std
//                                                  Phi^-1(1 - k/F) per row (soft threshold)
//   y    = (gelu(a) * (x[..., r:] K2)) V           [..., d_out]
// K1 [r, F], K2 [d - r, F], V [F, d_out]; r is K1's row count. GELU(0) = 0 keeps the
// sparsity: only about k of the F neurons are non-zero per row, so inference can skip the other
// columns of K2 and rows of V; this training form is the masked dense compute.
// Paper: "Spark Transformer: Reactivating Sparsity in FFN and Attention" (You et al., NeurIPS
// 2025, arXiv 2506.06644; catalog: layer.md, confidence memory, low). Checked: the paper body
// could not be read here; its abstract and public summaries (arXiv, OpenReview, emergentmind's
// "Spark FFN" page) confirm top-k masking by statistical top-k with soft-thresholding, and a
// predictor formed by reallocating existing FFN parameters (a "predictor-value split"), but
// not the exact split. The form above is the catalog's (x split into its first r dims and the
// rest; GELU after the statistical top-k as in Gemma 3n's Gemma3nTextMLP, where gate and up
// both read the whole x). statistical_topk is the activation family's op (its own header).
// Defaults: k 1 (set it: about 8% of F in the paper). r >= 1 and r < d; k in (0, F).
// Module: nn::SparkFFN (models/layer/layer.h). Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"
#include "ops/layer/layer.h"

namespace lathe {

Tensor spark_ffn(const Tensor& x, const Tensor& k1, const Tensor& k2, const Tensor& v,
                 int64_t k) {
  const char* op = "spark_ffn";
  check_floating(op, "x", x);
  check_floating(op, "k1", k1);
  check_floating(op, "k2", k2);
  check_floating(op, "v", v);
  LATHE_CHECK(k1.dim() == 2 && k2.dim() == 2 && v.dim() == 2, "[", op, "] k1, k2 and v must be "
              "matrices, got ", k1.shape(), ", ", k2.shape(), " and ", v.shape());
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x needs a feature dim, got ", x.shape());
  int64_t d = x.shape()[x.dim() - 1], r = k1.shape()[0], f = k1.shape()[1];
  LATHE_CHECK(r >= 1 && r < d, "[", op, "] the predictor width r (rows of k1) must be in [1, d = ",
              d, "), got ", r);
  LATHE_CHECK(k2.shape()[0] == d - r && k2.shape()[1] == f, "[", op, "] k2 must be [d - r, F] = [",
              d - r, ", ", f, "], got ", k2.shape());
  LATHE_CHECK(v.shape()[0] == f, "[", op, "] v must be [F = ", f, ", d_out], got ", v.shape());
  LATHE_CHECK(k > 0 && k < f, "[", op, "] k must be in (0, F = ", f, "), got ", k);
  Tensor pred = matmul(narrow(x, -1, 0, r), k1);                     // [..., F]
  Tensor a = statistical_topk(pred, k, true, false);                 // [..., F]
  Tensor value = matmul(narrow(x, -1, r, d - r), k2);                // [..., F]
  return matmul(gelu(a) * value, v);                                 // [..., d_out]
}

LATHE_REGISTER_OPS(spark_ffn) {
  registry.add(OpDef("spark_ffn", "layer")
                   .summary("Spark FFN: statistical top-k of a low-rank predictor gates the "
                            "value path")
                   .paper("Spark Transformer: Reactivating Sparsity in FFN and Attention")
                   .input("x")
                   .input("k1")
                   .input("k2")
                   .input("v")
                   .attr("k", 1, "active neurons per row on average, in (0, F)")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{spark_ffn(c.in("x"), c.in("k1"), c.in("k2"), c.in("v"),
                                              c.i("k"))};
                   }));
}

}  // namespace lathe
