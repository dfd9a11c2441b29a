// superhf_loss: the loss part of SuperHF (the procedure samples n completions per prompt,
// keeps the top-k by reward and fine-tunes on them with this loss). With completion mask M
// [B, T], policy logits z [B, T, V], the prior's logits z0 (the same network with its LoRA
// adapters off; detached) and target tokens y [B, T] aligned with the logits:
//   CE   = -sum_bt M_bt log p(y_bt) / sum_bt M_bt                (one token mean, whole batch)
//   CE  <- CE + inv_c / CE                                        (only when inv_c > 0)
//   KL_b = sum_t M_bt sum_v p0_btv (log p0_btv - log p_btv) / sum_t M_bt   (forward KL)
//   L    = CE + beta sum_b max(KL_b, 0)                           (summed over samples)
// The loss declares its own reduction (a token mean plus a sum over samples). A sample with
// an empty mask contributes no KL; an all-false mask gives CE = 0 (the count is clamped at 1).
// Paper: "SuperHF: Supervised Iterative Learning from Human Feedback" (Mukobi et al., 2023).
// Code (catalog, confidence 'official code'): openfeedback/superhf training.py; defaults from
// its experiment config: beta 0.35 (the dataclass default is 0), inv_c 0.
// NOTE: the official code computes the CE on shifted labels and the KL on the unshifted mask
// (offset by one position) and leaves padding in the labels; this op takes one aligned mask
// for both terms, as the catalog specifies. Skipping minibatches whose CE is not finite is the
// caller's (procedure) job. Composite.
#include "losses/rl/preference.h"
#include "losses/rl/rl.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

Tensor superhf_loss(const Tensor& logits, const Tensor& prior_logits, const Tensor& labels,
                    const SuperhfLossOptions& o) {
  const char* op = "superhf_loss";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 3);
  check_floating(op, "prior_logits", prior_logits);
  check_same_shape(op, "logits", logits, "prior_logits", prior_logits);
  Shape bt{logits.shape()[0], logits.shape()[1]};
  const int64_t V = logits.shape()[2];
  LATHE_CHECK(is_integral(labels.dtype()) && labels.shape() == bt, "[", op,
              "] labels must be integer ", bt, ", got ", labels.dtype(), " ", labels.shape());
  LATHE_CHECK(labels.numel() == 0 || (min(labels).item() >= 0 && max(labels).item() < V), "[",
              op, "] labels must lie in [0, ", V, ")");
  LATHE_CHECK(o.inv_c >= 0.0, "[", op, "] inv_c must be >= 0, got ", o.inv_c);
  Tensor m = rl_detail::token_mask(op, o.mask, logits, bt);             // [B, T]
  Tensor lp = log_softmax(logits, -1);                                  // [B, T, V]
  Tensor lp0 = log_softmax(prior_logits.detach(), -1);                  // [B, T, V]
  Tensor idx = unsqueeze(cast(labels, DType::i64), 2);                  // [B, T, 1]
  Tensor picked = squeeze(gather(lp, idx, 2), {2});                     // [B, T]
  Tensor ce = -sum(picked * m) / clamp(sum(m), 1.0);                    // []
  if (o.inv_c > 0.0) ce = ce + o.inv_c / ce;
  Tensor kl_tok = sum(exp(lp0) * (lp0 - lp), {2});                      // [B, T]
  Tensor kl_b = sum(kl_tok * m, {1}) / clamp(sum(m, {1}), 1.0);         // [B]
  return ce + o.beta * sum(clamp(kl_b, 0.0));
}

LATHE_REGISTER_OPS(superhf_loss) {
  using O = SuperhfLossOptions;
  registry.add(OpDef("superhf_loss", "rl_alignment")
                   .summary("SuperHF fine-tuning loss: token-mean CE plus beta times the summed "
                            "per-sample KL(prior || policy), clamped at 0")
                   .paper("SuperHF: Supervised Iterative Learning from Human Feedback")
                   .input("logits")
                   .input("prior_logits", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .options<O>()
                   .input("mask", &O::mask, Kind::boolean, kOptional)
                   .attr("beta", &O::beta, "KL coefficient")
                   .attr("inv_c", &O::inv_c, "> 0: add inv_c / CE to the CE")
                   .own_reduction("a token mean of the CE plus a sum over samples of "
                                  "per-sample KL means")
                   .output("loss")
                   .run(superhf_loss));
}

}  // namespace lathe
