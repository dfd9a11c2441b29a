// statistical_topk: Spark Transformer's statistical top-k along the last dim (d entries)
//   theta = mean(x) + std(x) Phi^-1(1 - k/d)          std the population one (correction 0)
//   soft: y = relu(x - theta)      hard: y = x 1[x > theta]
// Keeps about the k largest entries under a Gaussian assumption, in linear time, no sorting.
// Paper: "Spark Transformer: Reactivating Sparsity in FFN and Attention" (arXiv 2506.06644;
// catalog: activation.md, confidence code (port)). No release for the paper; the same operator
// is Gemma 3n's FFN activation sparsity (huggingface/transformers, modeling_gemma3n.py,
// Gemma3nTextMLP._gaussian_topk: Normal(0, 1).icdf(target_sparsity), target_sparsity = 1 - k/d,
// soft form, threshold not detached).
// Phi^-1(p) = sqrt(2) erfinv(2 p - 1), computed as a tensor in x's dtype (as the reference casts
// the quantile to the input dtype).
// Defaults: soft, detach_threshold false (gradients flow through mean and std: d mean/dx = 1/d,
// d std/dx = (x - mu)/(d std)); with detach_threshold theta is a constant. k in (0, d): Phi^-1
// is infinite at k = 0 and k = d. A constant row has std 0: its value is defined (theta = mu,
// nothing kept) but the std's derivative is 0/0 (NaN, as in PyTorch). Composite; declared
// custom_backward because detach_threshold's gradient is not the forward's derivative.
#include <cmath>

#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor statistical_topk(const Tensor& x, int64_t k, bool soft, bool detach_threshold) {
  const char* op = "statistical_topk";
  check_floating(op, "x", x);
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x must have at least one dim, got ", x.shape());
  int64_t d = x.shape()[x.dim() - 1];
  LATHE_CHECK(k > 0 && k < d, "[", op, "] k must be in (0, d = ", d, "), got ", k);
  double p = 1.0 - static_cast<double>(k) / static_cast<double>(d);
  Tensor z = std::sqrt(2.0) * erfinv(scalar_like(2.0 * p - 1.0, x));   // [] Phi^-1(1 - k/d)
  Tensor mu = mean(x, {-1}, true);                                      // [..., 1]
  Tensor sd = std_dev(x, {-1}, 0.0, true);                              // [..., 1]
  Tensor theta = mu + sd * z;                                           // [..., 1]
  if (detach_threshold) theta = theta.detach();
  return soft ? relu(x - theta) : where(gt(x, theta), x, 0.0);          // [..., d]
}

LATHE_REGISTER_OPS(statistical_topk) {
  registry.add(OpDef("statistical_topk", "activation")
                   .summary("statistical top-k: threshold mean + std Phi^-1(1 - k/d) per row")
                   .paper("Spark Transformer: Reactivating Sparsity in FFN and Attention")
                   .input("x")
                   .attr("k", 1, "entries to keep per row on average, in (0, d)")
                   .attr("soft", true, "relu(x - theta) when true, x 1[x > theta] when false")
                   .attr("detach_threshold", false, "treat theta as a constant in backward")
                   .custom_backward("with detach_threshold, theta is held constant in backward "
                                    "(a defined gradient, not the forward's derivative); "
                                    "without it, autograd's derivative")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{statistical_topk(c.in("x"), c.i("k"), c.b("soft"),
                                                     c.b("detach_threshold"))};
                   }));
}

}  // namespace lathe
