// el2n_score: the EL2N data-pruning score of each example, the error L2 norm of its early
// predictions averaged over independently trained runs r, from logits [R, N, C] and integer
// labels [N]:
//   EL2N(x, y) = mean_r ||softmax(f_r(x)) - onehot(y)||_2
// One score per example [N] (mean over runs of the per-run norms, not the norm of the mean
// prediction). Not differentiable here (a data-selection score), computed without a graph.
// Paper: "Beyond neural scaling laws: beating power law scaling via data pruning" (Sorscher et
// al., NeurIPS 2022), benchmarking EL2N of "Deep Learning on a Data Diet" (Paul et al. 2021;
// catalog: metric.md, confidence 'official code': mansheej/data_diet scores.py
// get_lord_error_fn with ord 2, scripts/get_mean_score.py).
#include "ops/composite.h"
#include "ops/metric/common.h"
#include "ops/metric/metric.h"

namespace lathe {

Tensor el2n_score(const Tensor& logits, const Tensor& labels) {
  const char* op = "el2n_score";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 3);
  int64_t n = logits.shape()[1], c = logits.shape()[2];
  LATHE_CHECK(logits.shape()[0] >= 1 && c >= 1, "[", op,
              "] logits must be [R, N, C] with R, C >= 1, got ", logits.shape());
  metric_detail::check_labels(op, "labels", labels, n, c);
  NoGradGuard no_grad;
  Tensor err = softmax(logits, 2) - cast(one_hot(labels, c), logits.dtype());  // [R, N, C]
  return mean(sqrt(sum(err * err, {2})), {0});                                 // [N]
}

LATHE_REGISTER_OPS(el2n_score) {
  registry.add(OpDef("el2n_score", "metric")
                   .summary("EL2N score mean_r ||softmax(z_r) - onehot(y)||_2 per example "
                            "(not differentiable)")
                   .paper("Beyond neural scaling laws: beating power law scaling via data "
                          "pruning")
                   .input("logits", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .output("score")
                   .run(el2n_score));
}

}  // namespace lathe
