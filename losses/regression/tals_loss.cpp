// tals_loss: TokenHMR's threshold-adaptive loss scaling for 2D keypoints. Predictions k^ and
// targets k [B, J, 2], confidences c [B, J], per-keypoint thresholds tau [J]:
//   e = c |k^ - k|_2^2,   v = 1[e > tau] (a constant mask),
//   l = c (v + w (1 - v)) |k^ - k|       per coordinate,
// reduced 'sum' (default, the reference), 'mean' or 'none' ([B, J, 2]): keypoints within their
// "invalid distance" band are down-weighted by w instead of pushed to zero error.
// Paper: "TokenHMR: Advancing Human Mesh Recovery with a Tokenized Pose Representation"
// (catalog: regression.md; official code saidwivedi/TokenHMR tokenhmr/lib/models/losses.py
// kp2D_err_valid_thresh, Keypoint2DLossPCKT; configs LOOSE_WEIGHT 0.05). The reference's 44
// threshold constants are the caller's input; the SMPL pose form (geodesic angle error, MSE on
// rotation matrices) is not this op.
// Defaults: w 0.05, reduction 'sum'.
// Gradient (autograd): the mask is a constant; L1 subgradient sign(k^ - k) (0 at equality).
// Into the predictions only (targets, confidences and thresholds are data).
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor tals_loss(const Tensor& input, const Tensor& target, const Tensor& conf,
                 const Tensor& thresh, const TalsLossOptions& o) {
  const char* op = "tals_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.dim() == 3 && input.shape()[2] == 2, "[", op,
              "] input must be keypoints [B, J, 2], got ", input.shape());
  int64_t b = input.shape()[0], j = input.shape()[1];
  check_shape(op, "conf", conf, {b, j});
  check_shape(op, "thresh", thresh, {j});
  Reduction r = parse_reduction(op, o.reduction);
  Tensor c = conf.detach();
  Tensor d = input - target.detach();                                   // [B, J, 2]
  Tensor e = sum(d * d, {2}).detach() * c;                              // [B, J]
  Tensor v = cast(gt(e, thresh.detach()), input.dtype());               // [B, J]
  Tensor weight = c * (v + o.w * (1.0 - v));                            // [B, J]
  return apply_reduction(unsqueeze(weight, 2) * abs(d), r);
}

LATHE_REGISTER_OPS(tals_loss) {
  registry.add(OpDef("tals_loss", "regression")
                   .summary("threshold-adaptive L1 of 2D keypoints (down-weights small errors)")
                   .paper("TokenHMR: Advancing Human Mesh Recovery with a Tokenized Pose "
                          "Representation")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .input("conf", Kind::floating, kNoGrad)
                   .input("thresh", Kind::floating, kNoGrad)
                   .options<TalsLossOptions>()
                   .attr("w", &TalsLossOptions::w, "weight inside the threshold band")
                   .attr("reduction", &TalsLossOptions::reduction,
                         "none | mean | sum (default, the reference's)")
                   .output("loss")
                   .run(tals_loss));
}

}  // namespace lathe
