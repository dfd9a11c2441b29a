// aldr_kl_loss: adaptive LDR-KL, the label-distributionally robust loss with a per-sample
// temperature lambda_i kept in a dataset-wide buffer (stateful). Scores h [B, C], class indices
// y [B], the buffer lam_state [N_dataset, 1] (initialized to lambda_0 by the caller), sample
// indices idx [B]; per sample i:
//   s = h / (|h|_1 / C)            (softplus(h) first with softplus),
//   q = normalize_1(softmax(s / lam_state[idx_i]) + 1e-5),   KL_i = sum_k q_k log(C q_k),
//   lambda_i = sg(lambda_0 - lambda_0 KL_i / (alpha log C)),  written to lam_state[idx_i],
//   extra_i = -(alpha log C / (2 lambda_0)) (lambda_i - lambda_0)^2   (a constant),
//   l_i = lambda_i (LSE_k(d_k / lambda_i) - log C) + extra_i,   d as in ldr_kl_loss,
// reduced 'mean' (default), 'sum' or 'none' ([B]). Outputs the loss and the new buffer (the
// input buffer is not modified; repeated indices: the last write wins, as the reference).
// Paper: "Label Distributionally Robust Losses for Multi-class Classification: Consistency,
// Robustness and Adaptivity" (Zhu, Ying, Yang, ICML 2023; catalog: robust.md; official code
// Optimization-AI/ICML2023_LDR loss.py ALDRLoss_V1, run_demo_ALDR.sh).
// Defaults: margin 1, lambda_0 1 (the class defaults), alpha 2 (the demo's: alpha 1 lets lambda
// reach 0), softplus false. NOTE: the demo script runs alpha 2, lambda_0 10, margin 0.1.
// Defined backward: lambda_i is a constant, so the gradient is ldr_kl_loss's at temperature
// lambda_i on the L1-normalized scores; tested against PyTorch's autograd of the same form.
// alpha < 1 allows lambda <= 0 (not clamped in the reference; here an error naming the op).
// Composite.
#include "losses/robust/robust.h"
#include "ops/composite.h"

#include <cmath>
#include <vector>

namespace lathe {

AldrKlLossResult aldr_kl_loss(const Tensor& input, const Tensor& target, const Tensor& lam_state,
                              const Tensor& index, const AldrKlLossOptions& o) {
  const char* op = "aldr_kl_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction r = parse_reduction(op, o.reduction);
  int64_t b = input.shape()[0], c = input.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{b}, "[",
              op, "] class-index targets must be integers [", b, "], got ",
              target.defined() ? target.shape() : Shape{});
  LATHE_CHECK(index.defined() && is_integral(index.dtype()) && index.shape() == Shape{b}, "[",
              op, "] index must be integers [", b, "] (sample ids), got ",
              index.defined() ? index.shape() : Shape{});
  check_floating(op, "lam_state", lam_state);
  LATHE_CHECK(lam_state.dim() == 2 && lam_state.shape()[1] == 1, "[", op,
              "] lam_state must be [N_dataset, 1], got ", lam_state.shape());
  LATHE_CHECK(o.lam_ref > 0 && o.alpha > 0, "[", op, "] lam_ref and alpha must be > 0, got ",
              o.lam_ref, " and ", o.alpha);
  int64_t n = lam_state.shape()[0];
  std::vector<int64_t> ids = index.to(DType::i64).to_vector<int64_t>();
  for (int64_t i : ids)
    LATHE_CHECK(i >= 0 && i < n, "[", op, "] index ", i, " out of range [0, ", n, ")");
  Tensor y = target.to(DType::i64);
  for (int64_t t : y.to_vector<int64_t>())
    LATHE_CHECK(t >= 0 && t < c, "[", op, "] target ", t, " out of range [0, ", c, ")");
  double log_c = std::log(double(c));
  Tensor s = o.softplus ? softplus(input) : input;                          // [B, C]
  s = s / (sum(abs(s), {1}, true) / double(c));                             // [B, C]
  Tensor lam;                                                               // [B, 1] constant
  {
    NoGradGuard no_grad;
    Tensor prev = index_select(lam_state.detach(), index.to(DType::i64), 0);   // [B, 1]
    Tensor q = softmax(s.detach() / prev, 1) + 1e-5;                        // [B, C]
    q = q / sum(q, {1}, true);
    Tensor kl = sum(q * log(double(c) * q), {1}, true);                     // [B, 1]
    lam = o.lam_ref - o.lam_ref * kl / (o.alpha * log_c);
  }
  std::vector<double> lam_v = lam.to(DType::f64).to_vector<double>();
  for (double v : lam_v)
    LATHE_CHECK(v > 0, "[", op, "] the adapted lambda reached ", v,
                " <= 0 (alpha < 1 allows it): raise alpha");
  Tensor extra = -(o.alpha * log_c / (2.0 * o.lam_ref)) * (lam - o.lam_ref) * (lam - o.lam_ref);
  Tensor onehot = cast(one_hot(y, c), input.dtype());                       // [B, C]
  Tensor d = s - sum(s * onehot, {1}, true) + o.margin * (1.0 - onehot);    // [B, C]
  Tensor rows = reshape(lam * (logsumexp(d / lam, {1}, true) - log_c) + extra, {b});   // [B]
  std::vector<double> state = lam_state.to(DType::f64).to_vector<double>();
  for (int64_t i = 0; i < b; ++i) state[ids[i]] = lam_v[i];                 // last write wins
  Tensor new_state = from_vector(state, {n, 1}, lam_state.dtype(), lam_state.device());
  return {apply_reduction(rows, r), new_state};
}

LATHE_REGISTER_OPS(aldr_kl_loss) {
  registry.add(OpDef("aldr_kl_loss", "robust")
                   .summary("adaptive LDR-KL: ldr_kl_loss at a per-sample temperature kept in a "
                            "buffer")
                   .paper("Label Distributionally Robust Losses for Multi-class Classification: "
                          "Consistency, Robustness and Adaptivity")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("index", Kind::integer)
                   .output("loss")
                   .state("lam_state")
                   .options<AldrKlLossOptions>()
                   .attr("margin", &AldrKlLossOptions::margin, "c (class default 1; demo 0.1)")
                   .attr("lam_ref", &AldrKlLossOptions::lam_ref,
                         "lambda_0 > 0 (class default 1; demo 10)")
                   .attr("alpha", &AldrKlLossOptions::alpha, "KL budget scale (demo 2)")
                   .attr("softplus", &AldrKlLossOptions::softplus, "softplus(h) first")
                   .attr("reduction", &AldrKlLossOptions::reduction, "none | mean | sum")
                   .custom_backward("lambda_i is detached (the adapted temperature)")
                   .run([](const OpCall& c) {
                     AldrKlLossResult res =
                         aldr_kl_loss(c.in("input"), c.in("target"), c.in("lam_state"),
                                      c.in("index"), c.options<AldrKlLossOptions>());
                     return Outputs{res.loss, res.lam_state};
                   }));
}

}  // namespace lathe
