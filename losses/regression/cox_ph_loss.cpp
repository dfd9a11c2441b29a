// cox_ph_loss: the negative Cox partial log-likelihood of risk scores r [n] with survival times
// t [n] and event indicators e [n] (1 = observed failure, 0 = censored), Breslow ties (the risk
// set of i holds every j with t_j >= t_i, tied times included):
//   L = -(1 / Z) sum_{i: e_i = 1} [r_i - log sum_{j: t_j >= t_i} exp(r_j)],
// Z = n ('samples', default: the reference's), max(sum e, 1) ('events', the DeepSurv form) or 1
// ('sum'): the loss declares its own reduction. Computed by sorting by descending time, a
// log-cumulative-sum-exp (shifted by the max), and reading each entry at the last index of its
// tie group.
// Paper: "RULSurv: A probabilistic survival-based method for early censoring-aware prediction
// of RUL in ball bearings" (catalog: regression.md; official code thecml/rulsurv
// src/tools/regressors.py CoxPH, wrapping scikit-survival's CoxPHSurvivalAnalysis:
// sksurv/linear_model/coxph.py CoxPHOptimizer.nlog_likelihood). The reference's ridge term on
// linear coefficients is a parameter penalty, not part of this op.
// Defaults: reduction 'samples'. No events give 0.
// Gradient (autograd): for each event i, -(delta_ij - softmax over the risk set of i)_j / Z.
// Times and events are data.
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace lathe {

Tensor cox_ph_loss(const Tensor& risk, const Tensor& time, const Tensor& event,
                   const CoxPhLossOptions& o) {
  const char* op = "cox_ph_loss";
  check_floating(op, "risk", risk);
  check_floating(op, "time", time);
  check_dim(op, "risk", risk, 1);
  check_same_shape(op, "risk", risk, "time", time);
  LATHE_CHECK(event.defined() && event.shape() == risk.shape(), "[", op,
              "] event must be 0/1 indicators shaped like risk ", risk.shape());
  LATHE_CHECK(o.reduction == "samples" || o.reduction == "events" || o.reduction == "sum", "[",
              op, "] reduction must be samples, events or sum, got '", o.reduction, "'");
  int64_t n = risk.shape()[0];
  LATHE_CHECK(n > 0, "[", op, "] risk must hold one score per sample, got none");
  std::vector<double> t = time.to(DType::f64).to_vector<double>();
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return t[a] > t[b]; });
  std::vector<int64_t> last(n);                       // last sorted index of each tie group
  for (int64_t i = n - 1; i >= 0; --i)
    last[i] = (i + 1 < n && t[order[i + 1]] == t[order[i]]) ? last[i + 1] : i;
  Tensor ord = from_vector(order, {n}, risk.device());
  Tensor r = index_select(risk, ord, 0);                                        // [n] sorted
  Tensor e = index_select(cast(event.detach(), risk.dtype()), ord, 0);          // [n]
  Tensor shift = max(r).detach();                                               // []
  Tensor lcse = log(cumsum(exp(r - shift), 0)) + shift;                         // [n]
  Tensor at = index_select(lcse, from_vector(last, {n}, risk.device()), 0);     // [n]
  Tensor total = -sum((r - at) * e);                                            // []
  if (o.reduction == "samples") return total / double(n);
  if (o.reduction == "events") return total / maximum(sum(e), 1.0);
  return total;
}

LATHE_REGISTER_OPS(cox_ph_loss) {
  registry.add(OpDef("cox_ph_loss", "regression")
                   .summary("negative Cox partial log-likelihood (Breslow ties)")
                   .paper("RULSurv: A probabilistic survival-based method for early "
                          "censoring-aware prediction of RUL in ball bearings")
                   .input("risk")
                   .input("time", Kind::floating, kNoGrad)
                   .input("event", Kind::any, kNoGrad)
                   .options<CoxPhLossOptions>()
                   .attr("reduction", &CoxPhLossOptions::reduction,
                         "samples (/ n, the reference's) | events (/ max(events, 1)) | sum")
                   .own_reduction("divided by the number of samples (or of events, or 1)")
                   .output("loss")
                   .run(cox_ph_loss));
}

}  // namespace lathe
