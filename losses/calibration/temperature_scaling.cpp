// temperature_scaling: post-hoc calibration of a frozen classifier's logits z [B, C] by one
// learned temperature T, a tensor of shape [1] (the reference parameter's) or 0-d:
//   z' = z / T,    T broadcast over every logit; output [B, C].
// Fitting (the caller's procedure): freeze the network and minimize cross_entropy(z / T, y) on
// a validation set over T alone (the reference: LBFGS, lr 0.01, max_iter 50, from T = 1.5).
// Papers: "Optimizing Calibration by Gaining Aware of Prediction Correctness"; "On the
// Limitations of Temperature Scaling for Distributions with Overlaps" (both build on Guo et
// al. 2017). Catalog: calibration.md (official code liuyvchi/Correctness-aware-calibration
// src/cal_metrics/temperature_scaling_CA.py, class Temperature: nn.Parameter(ones(1) * 1.5),
// expanded to the logits' shape).
// Defaults: the module form (models/calibration.h, nn::TemperatureScaling) starts at T = 1.5.
// Registered in family `nn`, not `calibration`: it is a layer (logits in, logits out), and the
// calibration family's ops keep the loss contract (a `loss` output, a reduction).
// Gradients (autograd): dz'/dz = 1/T, dz'/dT = -z / T^2 summed into T's single element (its own
// shape, [1] or 0-d). T must be > 0: its one value is read and checked (T <= 0 flips or
// overflows the logits); for SGD-style fitting parameterize T = exp(t).
// Composite.
#include "losses/calibration/calibration.h"
#include "ops/composite.h"

namespace lathe {

Tensor temperature_scaling(const Tensor& logits, const Tensor& temperature) {
  const char* op = "temperature_scaling";
  check_floating(op, "logits", logits);
  check_floating(op, "temperature", temperature);
  LATHE_CHECK(logits.dim() >= 1, "[", op, "] logits must be [B, C] (or [..., C]), got ",
              logits.shape());
  LATHE_CHECK(temperature.numel() == 1 && temperature.dim() <= 1, "[", op,
              "] temperature must be one value, shape [1] or [], got ", temperature.shape());
  double t = temperature.detach().item();
  LATHE_CHECK(t > 0, "[", op, "] temperature must be > 0, got ", t);
  return logits / temperature;   // [B, C]
}

LATHE_REGISTER_OPS(temperature_scaling) {
  registry.add(OpDef("temperature_scaling", "nn")
                   .summary("temperature scaling z / T of logits by one temperature (calibration)")
                   .paper("Optimizing Calibration by Gaining Aware of Prediction Correctness; On "
                          "the Limitations of Temperature Scaling for Distributions with "
                          "Overlaps")
                   .input("logits")
                   .input("temperature")
                   .output("y")
                   .run(temperature_scaling));
}

}  // namespace lathe
