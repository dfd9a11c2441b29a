// trajectory_matching_loss: the normalized parameter-matching loss of trajectory-matching
// dataset distillation (a procedure: the expert trajectories, the synthetic data and its
// optimizers are the caller's; tests/losses/other_procedures_test.cpp runs it on a tiny
// model). From an expert checkpoint theta_start, N differentiable steps on the synthetic data
//   g_n = d inner_loss(theta_n, n) / d theta_n   (create_graph: higher-order autograd)
//   v_n = momentum v_{n-1} + g_n (v_0 = g_0),   theta_{n+1} = theta_n - lr v_n
// and L = |theta_N - theta_target|^2 / |theta_start - theta_target|^2.
// Paper: "Efficient Dataset Distillation through Alignment with Smooth and High-Quality Expert
// Trajectories" (AST; catalog: other.md, confidence memory). Verified against the authors'
// code (shenjiyuan123/AST-Alignment-with-Smooth-Expert, distill.py): NOTE: its inner loop is
// heavy-ball SGD with momentum 0.9 (MTT's, GeorgeCazenavette/mtt-distillation, is plain SGD:
// momentum 0, the default here); the starting parameters are perturbed (weightPerturb,
// alpha 0.5) before both the unroll and the denominator; the grand loss adds 0.1 times a
// per-class feature-mean MSE between synthetic and real images (the caller's, on its model);
// the balanced inner loss and intermediate matching are commented out there. The experts'
// clipping loss and gradient penalty belong to buffer.py (training the experts), not here.
// Defaults: n_steps 20 (syn_steps), momentum 0. lr is a tensor so that it can be learned.
// It takes gradients inside the loss (create_graph), so it uses the engine's grad().
#include "core/autograd.h"
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

Tensor trajectory_matching_loss(const Tensor& theta_start, const Tensor& theta_target,
                                const Tensor& lr,
                                const std::function<Tensor(const Tensor&, int64_t)>& inner_loss,
                                const TrajectoryMatchingOptions& o) {
  const char* op = "trajectory_matching_loss";
  check_floating(op, "theta_start", theta_start);
  check_floating(op, "theta_target", theta_target);
  check_floating(op, "lr", lr);
  check_same_shape(op, "theta_start", theta_start, "theta_target", theta_target);
  LATHE_CHECK(lr.numel() == 1, "[", op, "] lr must hold one value, got ", lr.shape());
  LATHE_CHECK(o.n_steps >= 0, "[", op, "] n_steps must be >= 0, got ", o.n_steps);
  Tensor start = theta_start.detach(), target = theta_target.detach();
  Tensor d0 = start - target;
  Tensor denom = sum(d0 * d0);                                        // []
  LATHE_CHECK(denom.item() > 0, "[", op, "] theta_start equals theta_target: the "
              "normalization |theta_start - theta_target|^2 is 0");
  Tensor theta = start.detach();
  theta.requires_grad_(true);
  Tensor velocity;
  for (int64_t n = 0; n < o.n_steps; ++n) {
    Tensor loss = inner_loss(theta, n);
    LATHE_CHECK(loss.defined() && loss.numel() == 1, "[", op,
                "] inner_loss must return one value, got ", loss.shape());
    GradOptions go;
    go.create_graph = true;
    Tensor g = grad({loss}, {theta}, {}, go)[0];                      // [P]
    velocity = n == 0 ? g : o.momentum * velocity + g;
    theta = theta - reshape(lr, {}) * velocity;
  }
  Tensor d = theta - target;
  return sum(d * d) / denom;
}

}  // namespace lathe
