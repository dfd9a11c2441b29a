// dco_loss: direct coverage optimization, fine-tuning for pass@N. Token log-probabilities of
// the correct answer lp [B, T] (prompt and padding masked to 0 by mask [B, T]):
//   lp_b = sum_t lp[b, t] m[b, t] = log p_b,   T_b = max(sum_t m[b, t], 1),
//   F(N, p) = N p (1 - p)^(N-1) / (1 - (1 - p)^N)  in (0, 1]  (confidence limiting; F(1, p) = 1),
//   'reference' (default, the official code): l_b = sg(F(N, sg(p_b))) (-lp_b) / T_b, a surrogate
//       whose value is not the DCO objective (F by a Pade branch where N p < 0.1:
//       (1 - (N-1) p + (N-1)(N-2) p^2 / 2) / (1 - (N-1) p / 2 + (N-1)(N-2) p^2 / 6)),
//   'exact' (the paper's objective): l_b = -log(1 - (1 - p_b)^N)
//       = -[lp_b + LSE_{k<N}(k log(1 - p_b))],  log(1 - p) = log1mexp(lp) (lp clamped to
//       <= -1e-12, the log1mexp to >= -1e4),
// reduced 'mean' over the examples (default), 'sum' or 'none' ([B]).
// Paper: "Rethinking Fine-Tuning when Scaling Test-Time Compute: Limiting Confidence Improves
// Mathematical Reasoning" (catalog: lm.md, official code). The script's 'cot' filter is this op
// with p supplied by the caller; tree-search and long-CoT approximations are procedures.
// Defaults: N 16 (the catalog's examples; the script's --N is 1), variant 'reference'.
// Gradients: 'exact' autograd, dl/dlp_b = -F(N, p_b); 'reference' a defined backward
// dl/dlp[b, t] = -F m[b, t] / T_b with F a constant (the variants differ by the 1/T_b
// normalization only), tested against PyTorch's autograd of the same form.
// Composite (expm1 through tanh: exact near 0).
#include "losses/lm/lm.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

namespace {
// log(1 - e^x) for x < 0: log(-expm1(x)) above -log 2, log(1 - e^x) below; each branch sees
// only its own side, so neither branch's derivative is infinite where the other is taken.
Tensor log1mexp(const Tensor& x) {
  const double c = -std::log(2.0);
  Tensor th = tanh(0.5 * clamp(x, c));                       // expm1(x) = 2 th / (1 - th)
  Tensor near = log(-2.0 * th / (1.0 - th));
  Tensor far = log(1.0 - exp(clamp(x, -INFINITY, c)));
  return where(gt(x, c), near, far);
}

// F(N, p) with the reference's Pade branch where N p < 0.1 (p a constant).
Tensor dco_factor(const Tensor& p, double n) {
  if (n == 1) return ones_like(p);
  Tensor small = (1.0 - (n - 1) * p + (n - 1) * (n - 2) * p * p / 2.0) /
                 (1.0 - (n - 1) / 2.0 * p + (n - 1) * (n - 2) / 6.0 * p * p);
  Tensor q = 1.0 - p;
  Tensor big = n * pow(q, n - 1) * p / (1.0 - pow(q, n));
  return where(lt(p * n, 0.1), small, big);   // big is 0/0 at p = 0, never selected there
}
}  // namespace

Tensor dco_loss(const Tensor& token_logp, const Tensor& mask, const DcoLossOptions& o) {
  const char* op = "dco_loss";
  check_floating(op, "token_logp", token_logp);
  check_dim(op, "token_logp", token_logp, 2);
  check_floating(op, "mask", mask);
  check_same_shape(op, "token_logp", token_logp, "mask", mask);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.N >= 1, "[", op, "] N must be >= 1, got ", o.N);
  LATHE_CHECK(o.variant == "reference" || o.variant == "exact", "[", op,
              "] variant must be reference or exact, got '", o.variant, "'");
  Tensor m = mask.detach();
  Tensor seq = sum(token_logp * m, {1});                                    // [B] log p
  double n = static_cast<double>(o.N);
  if (o.variant == "reference") {
    Tensor f = dco_factor(exp(seq.detach()), n);                            // [B] constant
    Tensor len = maximum(sum(m, {1}), 1.0);                                 // [B]
    return apply_reduction(f * -seq / len, r);
  }
  Tensor l1m = clamp(log1mexp(clamp(seq, -INFINITY, -1e-12)), -1e4);        // [B] log(1 - p)
  Tensor k = cast(arange(o.N, DType::i64, seq.device()), seq.dtype());     // [N]
  Tensor lse = logsumexp(unsqueeze(l1m, 1) * k, {1});                       // [B]
  return apply_reduction(-(seq + lse), r);
}

LATHE_REGISTER_OPS(dco_loss) {
  registry.add(OpDef("dco_loss", "lm")
                   .summary("direct coverage optimization for pass@N (confidence limiting)")
                   .paper("Rethinking Fine-Tuning when Scaling Test-Time Compute: Limiting "
                          "Confidence Improves Mathematical Reasoning")
                   .input("token_logp")
                   .input("mask", Kind::floating, kNoGrad)
                   .options<DcoLossOptions>()
                   .attr("N", &DcoLossOptions::N, "the evaluation budget, >= 1")
                   .attr("variant", &DcoLossOptions::variant,
                         "reference (official surrogate, detached F) | exact (the objective)")
                   .attr("reduction", &DcoLossOptions::reduction,
                         "none | mean | sum, over the examples")
                   .custom_backward("'reference': the factor F(N, p) is detached (the official "
                                    "surrogate); 'exact' is plain autograd")
                   .output("loss")
                   .run(dco_loss));
}

}  // namespace lathe
