// tolerance_metric: the tolerance of an embedding to semantically similar samples, the mean
// cosine similarity of the same-label pairs:
//   f_i <- f_i / max(||f_i||, 1e-12),  T = mean_{i != j, l_i = l_j} f_i^T f_j
// of features [N, D] and integer labels [N] (labels are used for evaluation only); a scalar.
// Companion of uniformity_loss.
// Paper: "Understanding the Behaviour of Contrastive Loss" (Wang & Liu, CVPR 2021; catalog:
// metric.md, confidence 'memory'). NOTE (unverified): no official code was found and the
// paper's body could not be read in this session either; third-party scripts disagree on the
// average (per class over all n_c^2 entries with a zeroed diagonal, or an expectation over all
// pairs with different-label pairs counted as 0). This op takes the catalog's reading, the
// mean over same-label pairs i != j.
// Decision: no two samples share a label (the mean of nothing) is an error naming the op, not
// NaN.
// Gradient (autograd; the labels are integers). Composite.
#include "ops/composite.h"
#include "ops/metric/common.h"
#include "ops/metric/metric.h"

namespace lathe {

Tensor tolerance_metric(const Tensor& features, const Tensor& labels) {
  const char* op = "tolerance_metric";
  check_floating(op, "features", features);
  check_dim(op, "features", features, 2);
  LATHE_CHECK(is_integral(labels.dtype()), "[", op, "] labels must be integers, got ",
              labels.dtype());
  LATHE_CHECK(labels.shape() == Shape{features.shape()[0]}, "[", op,
              "] labels must be [N] for features ", features.shape(), ", got ", labels.shape());
  int64_t n = features.shape()[0];
  Tensor f = metric_detail::unit_rows(features);                         // [N, D]
  Tensor s = matmul(f, transpose(f, 0, 1));                              // [N, N]
  Tensor idx = arange(n, DType::i64, features.device());
  Tensor same = logical_and(eq(unsqueeze(labels, 1), unsqueeze(labels, 0)),
                            ne(unsqueeze(idx, 1), unsqueeze(idx, 0)));   // [N, N] bool
  Tensor count = sum(cast(same, features.dtype()));
  LATHE_CHECK(count.item() > 0, "[", op, "] no two samples share a label: the mean is empty");
  return sum(where(same, s, 0.0)) / count;
}

LATHE_REGISTER_OPS(tolerance_metric) {
  registry.add(OpDef("tolerance_metric", "metric")
                   .summary("tolerance: mean cosine similarity of same-label pairs i != j of "
                            "features [N, D]")
                   .paper("Understanding the Behaviour of Contrastive Loss")
                   .input("features")
                   .input("labels", Kind::integer)
                   .output("tolerance")
                   .run(tolerance_metric));
}

}  // namespace lathe
