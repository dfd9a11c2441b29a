// correctness_aware_loss: correctness-aware calibration of a frozen classifier by per-sample
// temperatures. Logits z [B, C] (frozen: a constant here), class indices y [B], temperatures
// T [B, 1] (> 0; the calibrator clamps them to [0.1, 10], the caller's part):
//   k_i = 1[argmax z_i = y_i] (the temperature does not move the argmax), acc = mean k,
//   w_i = 1 - acc if k_i else acc,   c_i = max_c softmax(z_i / T_i)_c,
//   l_i = w_i (c_i - k_i)^2,
// reduced 'mean' (default: the weighted mean sum l / sum w), 'sum' or 'none' ([B]).
// Paper: "Optimizing Calibration by Gaining Aware of Prediction Correctness" (catalog:
// calibration.md; official code liuyvchi/Correctness-aware-calibration
// src/cal_metrics/temperature_scaling_CA.py Temperature_adaptive.set_temperature). The
// calibrator network (features of transformed images, hidden width 5) is the caller's; the
// code's second head trained with BCE on correctness is not part of the loss.
// Defaults: reduction 'mean'.
// NOTE: a batch that is all correct or all wrong has every w = 0: 0/0 in the reference; lathe
// gives a finite 0 with a graph.
// Gradient (autograd): into T only, through the max softmax entry (the argmax class) and z / T;
// k and w are constants.
// Composite.
#include "losses/calibration/calibration.h"
#include "ops/composite.h"

namespace lathe {

Tensor correctness_aware_loss(const Tensor& logits, const Tensor& target,
                              const Tensor& temperature, const CorrectnessAwareLossOptions& o) {
  const char* op = "correctness_aware_loss";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 2);
  Reduction r = parse_reduction(op, o.reduction);
  int64_t b = logits.shape()[0], c = logits.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{b}, "[",
              op, "] class-index targets must be integers [", b, "], got ",
              target.defined() ? target.shape() : Shape{});
  check_shape(op, "temperature", temperature, {b, 1});
  for (int64_t t : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(t >= 0 && t < c, "[", op, "] target ", t, " out of range [0, ", c, ")");
  Tensor z = logits.detach();
  Tensor k = cast(eq(argmax(z, 1), target.to(DType::i64)), z.dtype());   // [B] correct
  Tensor acc = mean(k);                                                  // []
  Tensor w = where(gt(k, 0.0), 1.0 - acc, acc);                          // [B]
  Tensor conf = max(softmax(z / temperature, 1), {1});                   // [B]
  Tensor rows = w * (conf - k) * (conf - k);                             // [B]
  if (r != Reduction::mean) return apply_reduction(rows, r);
  Tensor total = sum(rows), wsum = sum(w);                               // []
  // sum w = 2 B acc (1 - acc) >= 1 whenever it is not 0, so the guard never changes a value
  return where(gt(wsum, 0.0), total / maximum(wsum, 1.0), 0.0 * total);
}

LATHE_REGISTER_OPS(correctness_aware_loss) {
  registry.add(OpDef("correctness_aware_loss", "calibration")
                   .summary("class-balanced squared gap between max softmax(z / T) and "
                            "correctness")
                   .paper("Optimizing Calibration by Gaining Aware of Prediction Correctness")
                   .input("logits", Kind::floating, kNoGrad)
                   .input("target", Kind::integer)
                   .input("temperature")
                   .options<CorrectnessAwareLossOptions>()
                   .attr("reduction", &CorrectnessAwareLossOptions::reduction,
                         "none | mean (weighted: / sum of the weights) | sum")
                   .output("loss")
                   .run(correctness_aware_loss));
}

}  // namespace lathe
