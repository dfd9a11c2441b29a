// temporal_smoothness_loss: the continuity ("temporal") loss of GeneFace's audio-to-motion
// model. Predicted landmark sequences y^ [B, T, D] (D = 68 x 3), targets y, frame mask m [B, T]
// (all ones when absent):
//   e_t = ((y^_t - y^_{t-1}) - (y_t - y_{t-1})) m_t     for t >= 1 (velocity error),
//   L = (sum_{b, t>=1} |e_t|^2 + sum_b |y^_0 - y_0|^2) / (sum m D),
// the first-frame error unmasked. A scalar (sum over valid frames x D): the loss declares its
// own reduction.
// Paper: "GeneFace++: Generalized and Stable Real-Time Audio-Driven 3D Talking Face Generation"
// (catalog: regression.md; official code yerfor/GeneFace tasks/audio2motion/lm3d_vae_sync.py
// continuity_loss, borrowed from FACIAL; the GeneFacePlusPlus repository ships no training code,
// so this continuity term is taken to be the paper's temporal loss).
// NOTE: an all-zero mask is 0/0 in the reference; lathe gives a finite 0 with a graph.
// Gradient (autograd): linear in the differences; masked frames get no velocity gradient.
// Into the predictions only (targets and mask are data).
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor temporal_smoothness_loss(const Tensor& input, const Tensor& target, const Tensor& mask) {
  const char* op = "temporal_smoothness_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_dim(op, "input", input, 3);
  check_same_shape(op, "input", input, "target", target);
  int64_t b = input.shape()[0], t = input.shape()[1], d = input.shape()[2];
  check_optional_shape(op, "mask", mask, {b, t});
  Tensor m = mask.defined() ? mask.detach() : ones({b, t}, input.dtype(), input.device());
  Tensor y = target.detach();
  Tensor diff = input - y;                                                // [B, T, D]
  Tensor first = narrow(diff, 1, 0, 1);                                   // [B, 1, D]
  Tensor total = sum(first * first);                                      // []
  if (t > 1) {
    Tensor vel = narrow(diff, 1, 1, t - 1) - narrow(diff, 1, 0, t - 1);   // [B, T-1, D]
    Tensor e = vel * unsqueeze(narrow(m, 1, 1, t - 1), 2);                // [B, T-1, D]
    total = total + sum(e * e);
  }
  Tensor count = sum(m) * double(d);                                      // []
  return where(gt(count, 0.0), total / maximum(count, 1.0), 0.0 * total);
}

LATHE_REGISTER_OPS(temporal_smoothness_loss) {
  registry.add(OpDef("temporal_smoothness_loss", "regression")
                   .summary("velocity-error continuity loss of landmark sequences (GeneFace)")
                   .paper("GeneFace++: Generalized and Stable Real-Time Audio-Driven 3D Talking "
                          "Face Generation")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .input("mask", Kind::floating, kOptional | kNoGrad)
                   .own_reduction("sum of squared errors / (valid frames x D)")
                   .output("loss")
                   .run(temporal_smoothness_loss));
}

}  // namespace lathe
