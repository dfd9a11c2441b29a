// rectified_flow_loss: RAE's flow-matching loss on the linear path from data to noise
//   x_t = (1 - t) x0 + t eps            (t = 1 is pure noise; rectified_flow_path),
//   v = eps - x0                        (the path's velocity),
//   l = (v_theta(x_t, t) - v)^2         per element,
// reduced 'mean' (default: the reference's mean_flat then batch mean, equal to the element mean
// when every sample has the same size), 'sum' or 'none'. The model output v_theta(x_t, t) is the
// input; x0 (the data latent) and eps (the noise) are inputs too, so nothing is sampled here.
// Paper: "Diffusion Transformers with Representation Autoencoders" (RAE; catalog: generative.md,
// official code bytetriper/RAE src/stage2/transport/transport.py Transport.training_losses,
// path.py ICPlan: data coefficient 1 - t, noise coefficient t; src/train.py loss .mean()).
// Training draws t from a logit-normal(0, 1) and shifts it with dim_timestep_shift: the
// caller's. Gradients (autograd) reach the model output and, as the formula has them, x0 and
// eps (constants in training). Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

namespace lathe {

Tensor rectified_flow_path(const Tensor& x0, const Tensor& eps, const Tensor& t) {
  const char* op = "rectified_flow_path";
  check_floating(op, "x0", x0);
  check_floating(op, "eps", eps);
  check_floating(op, "t", t);
  check_same_shape(op, "x0", x0, "eps", eps);
  LATHE_CHECK(x0.dim() >= 1 && t.shape() == Shape{x0.shape()[0]}, "[", op,
              "] t must be [B] (one time per sample of x0 ", x0.shape(), "), got ", t.shape());
  std::vector<int64_t> bshape(size_t(x0.dim()), 1);
  bshape[0] = x0.shape()[0];
  Tensor tt = reshape(t, Shape(bshape));                                      // [B, 1, ...]
  return (1.0 - tt) * x0 + tt * eps;                                   // [B, ...]
}

Tensor rectified_flow_loss(const Tensor& input, const Tensor& x0, const Tensor& eps,
                           const RectifiedFlowLossOptions& o) {
  const char* op = "rectified_flow_loss";
  check_floating(op, "input", input);
  check_floating(op, "x0", x0);
  check_floating(op, "eps", eps);
  check_same_shape(op, "input", input, "x0", x0);
  check_same_shape(op, "input", input, "eps", eps);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor d = input - (eps - x0);                                       // [B, ...]
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(rectified_flow_loss) {
  registry.add(OpDef("rectified_flow_loss", "generative")
                   .summary("flow-matching velocity loss (v_theta - (eps - x0))^2 on the path "
                            "(1 - t) x0 + t eps")
                   .paper("Diffusion Transformers with Representation Autoencoders")
                   .input("input")
                   .input("x0")
                   .input("eps")
                   .options<RectifiedFlowLossOptions>()
                   .attr("reduction", &RectifiedFlowLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(rectified_flow_loss));
}

}  // namespace lathe
