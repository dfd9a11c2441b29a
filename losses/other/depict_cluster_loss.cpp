// depict_cluster_loss: DEPICT's clustering objective, the soft cross-entropy of the noisy
// (dropout-on) soft assignments p = softmax(logits) [N, K] against an auxiliary target q [N, K]
// computed without gradient from the clean predictions of the whole dataset:
//   L_i = -sum_k q_ik log p_ik                   (= KL(q_i || p_i) + H(q_i): same gradient)
//   q_ik ~ p_ik^2 / sum_i' p_i'k  (official code, "code")  or  p_ik / sqrt(sum_i' p_i'k)
//   ("paper", the paper's equation), normalized over k (depict_target).
// Paper: "Deep Clustering via Joint Convolutional Autoencoder Embedding and Relative Entropy
// Minimization" (DEPICT, Dizaji et al., ICCV 2017); code herandy/DEPICT functions.py (catalog:
// other.md). NOTE: the code squares p and keeps the square-root form commented out; lathe's
// default is the code's form, the paper's is variant "paper".
// Defaults: reduction mean (over N). d L / d logits = (p - q) / N with q fixed. The target is
// detached here. The full objective (with the autoencoder's reconstruction terms, target
// refresh per epoch) is the procedure around this op. Composite (autograd).
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

Tensor depict_target(const Tensor& probs_clean, const std::string& variant) {
  const char* op = "depict_cluster_loss";
  check_floating(op, "probs_clean", probs_clean);
  check_dim(op, "probs_clean", probs_clean, 2);
  LATHE_CHECK(variant == "code" || variant == "paper", "[", op,
              "] target variant must be code or paper, got '", variant, "'");
  NoGradGuard no_grad;
  Tensor p = probs_clean.detach();                                    // [N, K]
  // An empty cluster (column sum 0) would divide 0 by 0: its q is 0 either way.
  Tensor f = clamp(sum(p, {0}, true), 1e-30);                         // [1, K]
  Tensor q = variant == "code" ? p * p / f : p / sqrt(f);             // [N, K]
  return q / clamp(sum(q, {1}, true), 1e-30);                         // [N, K]
}

Tensor depict_cluster_loss(const Tensor& input, const Tensor& target,
                           const DepictClusterLossOptions& o) {
  const char* op = "depict_cluster_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_dim(op, "input", input, 2);
  check_same_shape(op, "input", input, "target", target);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor per_row = -sum(target.detach() * log_softmax(input, 1), {1});  // [N]
  return apply_reduction(per_row, r);
}

LATHE_REGISTER_OPS(depict_cluster_loss) {
  registry.add(OpDef("depict_cluster_loss", "other")
                   .summary("DEPICT soft cross-entropy -sum_k q log softmax(logits) vs a "
                            "detached target")
                   .paper("Deep Clustering via Joint Convolutional Autoencoder Embedding and "
                          "Relative Entropy Minimization")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<DepictClusterLossOptions>()
                   .attr("reduction", &DepictClusterLossOptions::reduction,
                         "none ([N]) | mean | sum")
                   .output("loss")
                   .run(depict_cluster_loss));
}

}  // namespace lathe
