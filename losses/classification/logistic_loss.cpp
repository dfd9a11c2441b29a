// logistic_loss: the logistic regression loss of data A [N, D], labels y [N] in {-1, +1}
// (float) and weights w [D]:
//   m_i = y_i <a_i, w>,   l_i = softplus(-m_i) = log(1 + exp(-m_i)),
// reduced 'mean' over examples (default, the paper's f(w) = (1/N) sum_i l_i), 'sum' or 'none'.
// Paper: "From Logistic Regression to the Perceptron Algorithm: Exploring Gradient Descent with
// Large Step Sizes" (catalog: classification.md).
// Defaults: reduction 'mean'.
// Gradients (autograd): dl_i/dw = -sigmoid(-m_i) y_i a_i and dl_i/da_i = -sigmoid(-m_i) y_i w;
// the labels are constants. softplus keeps the large-step regime's |m| >= 1e3 finite, and a
// separable batch's value goes to 0 without turning negative. Labels other than +-1 are an
// error (checked on the host: one synchronization per call). Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor logistic_loss(const Tensor& data, const Tensor& labels, const Tensor& weights,
                     const LogisticLossOptions& o) {
  const char* op = "logistic_loss";
  check_floating(op, "data", data);
  check_dim(op, "data", data, 2);
  int64_t n = data.shape()[0], d = data.shape()[1];
  check_shape(op, "labels", labels, {n});
  check_shape(op, "weights", weights, {d});
  Reduction reduction = parse_reduction(op, o.reduction);
  Tensor y = labels.detach();                                            // [N]
  double off = sum(cast(ne(abs(y), 1.0), DType::f64)).item();
  LATHE_CHECK(off == 0, "[", op, "] labels must be -1 or +1, ", off, " of ", n, " are not");
  Tensor scores = reshape(matmul(data, unsqueeze(weights, 1)), {n});     // [N] <a_i, w>
  return apply_reduction(softplus(-(y * scores)), reduction);            // [N] or []
}

LATHE_REGISTER_OPS(logistic_loss) {
  registry.add(OpDef("logistic_loss", "classification")
                   .summary("logistic loss softplus(-y <a, w>) of a linear model")
                   .paper("From Logistic Regression to the Perceptron Algorithm: Exploring "
                          "Gradient Descent with Large Step Sizes")
                   .input("data")
                   .input("labels", Kind::floating, kNoGrad)
                   .input("weights")
                   .options<LogisticLossOptions>()
                   .attr("reduction", &LogisticLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(logistic_loss));
}

}  // namespace lathe
