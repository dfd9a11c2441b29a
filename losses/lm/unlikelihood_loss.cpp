// unlikelihood_loss: label-smoothed unlikelihood of a negative sequence. Token probabilities
// p [T, V] (the caller applies the softmax, as the reference does before the call), tokens
// y [T] (int) with ignore_index marking padding; over the A active tokens:
//   lp = log(clamp(1 - p, min = 1e-20)),
//   nll = -sum_t lp[t, y_t] / A,   smooth = -sum_t sum_v lp[t, v] / A,
//   L = (1 - eps) nll + eps smooth / V.
// Paper: "What are the Desired Characteristics of Calibration Sets? Identifying Correlates on
// Long Form Scientific Summarization" (catalog: lm.md; official code
// griff4692/calibrating-summaries model/contrast_utils.py label_smoothed_unlikelihood, which
// calls label_smoothed_nll_loss with its default epsilon 0.1).
// Defaults: eps 0.1 (the reference never passes another value: other values are an extension),
// ignore_index -100.
// NOTE: the run.py copy clamps at 1e-10 and sums the smoothing term in f32; lathe follows
// contrast_utils.py (1e-20, the input dtype). No active token is 0/0 in the reference; lathe
// gives a finite 0 with a graph (the loss contract for ops with ignore_index).
// Reduction: 'mean' (default, the reference's) is the sum over active tokens / their count;
// 'sum'; 'none' gives the per-token terms [T] (0 at padding).
// Gradient (autograd): 1/(1 - p) at the target term, 0 where the clamp is active (p > 1 - 1e-20).
// Composite.
#include "losses/lm/lm.h"
#include "ops/composite.h"

namespace lathe {

Tensor unlikelihood_loss(const Tensor& probs, const Tensor& target,
                         const UnlikelihoodLossOptions& o) {
  const char* op = "unlikelihood_loss";
  check_floating(op, "probs", probs);
  Reduction r = parse_reduction(op, o.reduction);
  check_dim(op, "probs", probs, 2);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) &&
                  target.shape() == Shape{probs.shape()[0]},
              "[", op, "] class-index targets must be integers [", probs.shape()[0], "], got ",
              target.defined() ? target.shape() : Shape{});
  LATHE_CHECK(o.eps >= 0 && o.eps <= 1, "[", op, "] eps must be in [0, 1], got ", o.eps);
  int64_t v = probs.shape()[1];
  Tensor y = target.to(DType::i64);
  Tensor active = ne(y, static_cast<double>(o.ignore_index));                 // [T] bool
  for (int64_t t : y.to_vector<int64_t>())
    LATHE_CHECK(t == o.ignore_index || (t >= 0 && t < v), "[", op, "] target ", t,
                " out of range [0, ", v, ")");
  Tensor keep = cast(active, probs.dtype());                                  // [T]
  Tensor safe_y = where(active, y, zeros_like(y));                            // [T]
  Tensor lp = log(clamp(1.0 - probs, 1e-20));                                 // [T, V]
  Tensor lp_y = reshape(gather(lp, unsqueeze(safe_y, 1), 1), {probs.shape()[0]});   // [T]
  Tensor rows = -((1.0 - o.eps) * lp_y + o.eps * sum(lp, {1}) / double(v)) * keep;   // [T]
  if (r != Reduction::mean) return apply_reduction(rows, r);
  Tensor total = sum(rows);                                                   // []
  Tensor n = sum(keep);                                                       // []
  return where(gt(n, 0.0), total / maximum(n, 1.0), 0.0 * total);
}

LATHE_REGISTER_OPS(unlikelihood_loss) {
  registry.add(OpDef("unlikelihood_loss", "lm")
                   .summary("label-smoothed unlikelihood -log(1 - p) of a negative sequence")
                   .paper("What are the Desired Characteristics of Calibration Sets? "
                          "Identifying Correlates on Long Form Scientific Summarization")
                   .input("probs")
                   .input("target", Kind::integer)
                   .options<UnlikelihoodLossOptions>()
                   .attr("eps", &UnlikelihoodLossOptions::eps,
                         "label smoothing in [0, 1] (the reference's 0.1)")
                   .attr("ignore_index", &UnlikelihoodLossOptions::ignore_index,
                         "padding tokens, excluded")
                   .attr("reduction", &UnlikelihoodLossOptions::reduction,
                         "none | mean (over active tokens) | sum")
                   .output("loss")
                   .run(unlikelihood_loss));
}

}  // namespace lathe
