// kl_estimator: Schulman's Monte-Carlo estimators of the reverse KL(pi_theta || pi_ref), per
// sampled token y ~ pi_theta, from the log-probabilities of that token under the policy
// (input, differentiable) and the reference/anchor (ref, a constant):
//   r = log pi_ref(y) - log pi_theta(y);   k1 = -r,   k2 = r^2 / 2,   k3 = e^r - 1 - r
// k3 (verl's "low_var_kl") is unbiased and >= 0; k2's gradient is the reverse-KL gradient in
// expectation. One value per token, same shape as the input (callers take a masked mean: the
// loss declares its own reduction).
// Papers: "KDRL: Post-Training Reasoning LLMs via Unified Knowledge Distillation and
// Reinforcement Learning"; "Advancing Language Model Reasoning through Reinforcement Learning
// and Inference Scaling"; estimators from J. Schulman, "Approximating KL divergence" (2020)
// (catalog: divergence.md, confidence 'code (port)': volcengine/verl core_algos.py kl_penalty).
// Defaults: which 'k3', clamp false. clamp (k3 only) reproduces verl: r clamped to [-20, 20]
// before the exp, the result to [-10, 10]. verl's cast of both inputs to float32 is not kept
// (a precision artifact).
// Gradients (autograd): d/dlog pi_theta: k1 1, k2 -r, k3 1 - e^r (0 where a clamp is active).
// Composite.
#include "losses/divergence/divergence.h"
#include "ops/composite.h"

namespace lathe {

Tensor kl_estimator(const Tensor& input, const Tensor& ref, const KlEstimatorOptions& o) {
  const char* op = "kl_estimator";
  check_floating(op, "input", input);
  check_floating(op, "ref", ref);
  check_same_shape(op, "input", input, "ref", ref);
  LATHE_CHECK(o.which == "k1" || o.which == "k2" || o.which == "k3", "[", op,
              "] which must be k1 | k2 | k3, got '", o.which, "'");
  LATHE_CHECK(!o.clamp || o.which == "k3", "[", op, "] clamp applies to k3 only, got which '",
              o.which, "'");
  Tensor r = ref.detach() - input;                                        // [...]
  if (o.which == "k1") return -r;
  if (o.which == "k2") return 0.5 * r * r;
  if (!o.clamp) return exp(r) - 1.0 - r;
  r = clamp(r, -20.0, 20.0);
  return clamp(exp(r) - 1.0 - r, -10.0, 10.0);
}

LATHE_REGISTER_OPS(kl_estimator) {
  registry.add(OpDef("kl_estimator", "divergence")
                   .summary("per-token k1 | k2 | k3 estimate of the reverse KL from sampled-token "
                            "log-probabilities")
                   .paper("KDRL: Post-Training Reasoning LLMs via Unified Knowledge Distillation "
                          "and Reinforcement Learning; Advancing Language Model Reasoning through "
                          "Reinforcement Learning and Inference Scaling")
                   .input("input")
                   .input("ref", Kind::floating, kNoGrad)
                   .options<KlEstimatorOptions>()
                   .attr("which", &KlEstimatorOptions::which, "k1 | k2 | k3")
                   .attr("clamp", &KlEstimatorOptions::clamp,
                         "k3 only: r to [-20, 20], the result to [-10, 10] (verl)")
                   .own_reduction("one value per token (callers take a masked mean)")
                   .output("loss")
                   .run(kl_estimator));
}

}  // namespace lathe
