// logit_z_loss: the log-partition ("z-loss") penalty of output logits x [N, V] (ST-MoE / PaLM
// style, applied to the LM head), targets [N] marking ignored tokens:
//   valid_t = 1[y_t != ignore_index],  n = sum_t valid_t,
//   'reference': L = eps sum_t LSE_v(x_tv valid_t)^2 / n   (ignored rows' logits zeroed, so each
//                adds the constant (log V)^2, with zero gradient: corenet's quirk),
//   'masked':    L = eps sum_t valid_t LSE_v(x_tv)^2 / n   (ignored rows dropped).
// Unrelated to z_loss (the spherical Z-loss, classification).
// Paper: "KV Prediction for Improved Time to First Token" (catalog: lm.md; official code
// apple/corenet corenet/loss_fn/language_modeling/cross_entropy_for_kv_prediction.py).
// Reduction: 'mean' (default, the reference's) is the sum over tokens / the number of valid
// tokens; 'sum'; 'none' gives the per-token terms [N] (an ignored token's is eps (log V)^2 in
// 'reference' mode, 0 in 'masked').
// Defaults: eps 1e-4 (z_loss_eps), ignore_index -100, mode 'reference', reduction 'mean'.
// NOTE: every token ignored gives (log V)^2 / 0 in the reference; lathe gives a finite 0 with a
// graph and zero gradients for every reduction (the loss contract for ops with ignore_index):
// the quirk's constants count only when some token is valid.
// Gradient (autograd): 2 eps LSE_t softmax(x_t) / n for valid tokens, 0 for ignored ones.
// Composite.
#include "losses/lm/lm.h"
#include "ops/composite.h"

namespace lathe {

Tensor logit_z_loss(const Tensor& input, const Tensor& target, const LogitZLossOptions& o) {
  const char* op = "logit_z_loss";
  check_floating(op, "input", input);
  Reduction r = parse_reduction(op, o.reduction);
  check_dim(op, "input", input, 2);
  LATHE_CHECK(o.mode == "reference" || o.mode == "masked", "[", op,
              "] mode must be reference or masked, got '", o.mode, "'");
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) &&
                  target.shape() == Shape{input.shape()[0]},
              "[", op, "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.defined() ? target.shape() : Shape{});
  Tensor valid = cast(ne(target.to(DType::i64), static_cast<double>(o.ignore_index)),
                      input.dtype());                                   // [N]
  Tensor n = sum(valid);                                                // []
  Tensor x = o.mode == "reference" ? input * unsqueeze(valid, 1) : input;   // [N, V]
  Tensor lse = logsumexp(x, {1});                                       // [N]
  Tensor sq = lse * lse;                                                // [N]
  if (o.mode == "masked") sq = where(gt(valid, 0.0), sq, 0.0);
  Tensor any = gt(n, 0.0);                                              // [] bool
  // all ignored: every term 0 with a graph (the quirk's constants too), for every reduction
  Tensor rows = where(any, o.eps * sq, 0.0 * sq);                       // [N]
  if (r != Reduction::mean) return apply_reduction(rows, r);
  return sum(rows) / maximum(n, 1.0);
}

LATHE_REGISTER_OPS(logit_z_loss) {
  registry.add(OpDef("logit_z_loss", "lm")
                   .summary("log-partition penalty eps LSE(x)^2 of LM logits over valid tokens")
                   .paper("KV Prediction for Improved Time to First Token")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<LogitZLossOptions>()
                   .attr("ignore_index", &LogitZLossOptions::ignore_index,
                         "targets equal to it are ignored")
                   .attr("eps", &LogitZLossOptions::eps, "weight of the penalty")
                   .attr("mode", &LogitZLossOptions::mode,
                         "reference (ignored rows add (log V)^2, corenet) | masked")
                   .attr("reduction", &LogitZLossOptions::reduction,
                         "none | mean (over valid tokens) | sum")
                   .output("loss")
                   .run(logit_z_loss));
}

}  // namespace lathe
