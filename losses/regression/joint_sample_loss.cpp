// joint_sample_loss: the best-of-S (variety) loss of multi-sample trajectory forecasting.
// Predictions [A, S, T, 2] (agents, samples), ground truth [A, T, 2], mask [A, T] (0/1 float or
// bool, as the reference's float mask):
//   dist[a, s] = sum_{t, xy} (mask[a, t] (pred[a, s, t] - gt[a, t]))^2,
//   joint (default): L = min_s mean_a dist[a, s]   (one sample index for the whole scene),
//   marginal:        L = mean_a min_s dist[a, s]   (AgentFormer's original).
// A scalar per scene: the loss declares its own reduction (the config weight is the caller's).
// Paper: "Joint Metrics Matter: A Better Standard for Trajectory Forecasting" (catalog:
// regression.md; official code ericaweng/Joint_AgentFormer model/agentformer_loss.py
// compute_joint_sample_loss).
// Defaults: joint true.
// Gradient (autograd): the min routes the gradient to the arg-min sample only (lathe's min
// reduction; ties are not in the tests). Into the predictions only (gt and mask are data).
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor joint_sample_loss(const Tensor& input, const Tensor& target, const Tensor& mask,
                         const JointSampleLossOptions& o) {
  const char* op = "joint_sample_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_dim(op, "input", input, 4);
  int64_t a = input.shape()[0], t = input.shape()[2];
  Shape gt_shape{a, t, input.shape()[3]};
  LATHE_CHECK(input.shape()[3] == 2 && target.shape() == gt_shape, "[", op,
              "] input must be [A, S, T, 2] and target [A, T, 2], got ", input.shape(), " and ",
              target.shape());
  LATHE_CHECK(mask.defined() && mask.shape() == Shape({a, t}) &&
                  (mask.dtype() == DType::boolean || is_floating(mask.dtype())),
              "[", op, "] mask must be bool or float [", a, ", ", t, "], got ",
              mask.defined() ? mask.shape() : Shape{});
  Tensor m = reshape(cast(mask.detach(), input.dtype()), {a, 1, t, 1});      // [A, 1, T, 1]
  Tensor d = m * (input - unsqueeze(target.detach(), 1));                    // [A, S, T, 2]
  Tensor dist = sum(d * d, {2, 3});                                          // [A, S]
  if (o.joint) return min(mean(dist, {0}));
  return mean(min(dist, {1}));
}

LATHE_REGISTER_OPS(joint_sample_loss) {
  registry.add(OpDef("joint_sample_loss", "regression")
                   .summary("best-of-S trajectory loss, one sample for the scene (joint)")
                   .paper("Joint Metrics Matter: A Better Standard for Trajectory Forecasting")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .input("mask", Kind::any, kNoGrad)
                   .options<JointSampleLossOptions>()
                   .attr("joint", &JointSampleLossOptions::joint,
                         "true: min_s mean_a (joint); false: mean_a min_s (marginal)")
                   .own_reduction("a scalar per scene: a min over samples of a mean over "
                                  "agents (or the reverse)")
                   .output("loss")
                   .run(joint_sample_loss));
}

}  // namespace lathe
