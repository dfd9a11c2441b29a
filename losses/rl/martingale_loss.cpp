// martingale_loss: the martingale loss of continuous-time policy evaluation, discretized at
// t_0 < ... < t_K = T with a constant step dt (left-point rule):
//   G_i = h(X_T) + sum_{j >= i} r_j dt                 (the Monte-Carlo return from t_i)
//   l_b = 1/2 sum_i (G_i - J_i)^2 dt                   J, r [B, K]; h_T [B]
// one loss per trajectory, reduced 'mean' (default, the expectation), 'sum' or 'none'.
// Minimizing it regresses the value function J^theta(t_i, X_{t_i}) on the returns (the paper
// shows the mean-square TD error is the wrong objective); no discounting.
// Paper: "Policy Evaluation and Temporal-Difference Learning in Continuous Time and Space: A
// Martingale Approach" (Jia, Zhou, JMLR 2022) (catalog: rl_alignment.md, confidence 'memory').
// Checked (Dec 2026): no code by the authors was found and only abstracts were readable; the
// abstract confirms "minimizing a martingale loss function" for policy evaluation, whose
// continuous form ML(theta) = 1/2 E int_0^T (M_T - M_t^theta)^2 dt with
// M_t^theta = J^theta(t, X_t) + int_0^t r ds gives exactly the sum above (M_T - M_{t_i} =
// h + int_{t_i}^T r ds - J_i). The left-point discretization is ours.
// Gradients (autograd) reach J, r and h_T. Composite.
#include <cmath>

#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

Tensor martingale_loss(const Tensor& J, const Tensor& r, const Tensor& h_T,
                       const MartingaleLossOptions& o) {
  const char* op = "martingale_loss";
  check_floating(op, "J", J);
  check_dim(op, "J", J, 2);
  check_floating(op, "r", r);
  check_same_shape(op, "J", J, "r", r);
  check_floating(op, "h_T", h_T);
  check_shape(op, "h_T", h_T, {J.shape()[0]});
  LATHE_CHECK(o.dt > 0.0 && std::isfinite(o.dt), "[", op, "] dt must be > 0 (required), got ",
              o.dt);
  Reduction red = parse_reduction(op, o.reduction);
  Tensor g = unsqueeze(h_T, 1) + cumsum(r * o.dt, 1, true);             // [B, K]
  Tensor loss = 0.5 * o.dt * sum(pow(g - J, 2.0), {1});                 // [B]
  return apply_reduction(loss, red);
}

LATHE_REGISTER_OPS(martingale_loss) {
  using O = MartingaleLossOptions;
  registry.add(OpDef("martingale_loss", "rl_alignment")
                   .summary("martingale loss: 1/2 sum_i (h_T + sum_{j>=i} r_j dt - J_i)^2 dt "
                            "per trajectory")
                   .paper("Policy Evaluation and Temporal-Difference Learning in Continuous "
                          "Time and Space: A Martingale Approach")
                   .input("J")
                   .input("r")
                   .input("h_T")
                   .options<O>()
                   .attr("dt", &O::dt, "time step, > 0 (required)")
                   .attr("reduction", &O::reduction, "none | mean | sum over trajectories")
                   .output("loss")
                   .run(martingale_loss));
}

}  // namespace lathe
