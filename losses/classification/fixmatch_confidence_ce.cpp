// fixmatch_confidence_ce: the confidence-filtered pseudo-label cross-entropy of semi-supervised
// change detection (UniMatch / FixMatch lineage). Strong-view logits s [B, C, H, W], weak-view
// logits w [B, C, H, W] (the same model without gradient: detached here), ignore map [B, H, W]:
//   conf, y^ = max_c softmax(w)           (the pseudo label, per pixel),
//   l = CE(s, y^) per pixel,  valid = 1[ignore != 255],  n = sum valid (whole batch),
//   hi = 1[conf >= tau] valid,
//   'pixelwise' (default): L = sum l hi / n,
//   'pixelratio': r_b = sum_hw hi / sum_hw valid per image, L = sum_{b,hw} l r_b / n
//                 (ignored pixels are not masked out of l here: the reference's),
//   'pixelavg':   a_b = sum_hw conf valid / sum_hw valid, L = (sum l) (sum_b a_b) / n
//                 (the reference's quirk: the total loss times every image's average).
// A scalar: the loss declares its own reduction. CutMix of y^, conf and ignore is the caller's.
// Paper: "SemiCD-VL: Visual-Language Model Guidance Makes Better Semi-supervised Change
// Detector" (catalog: classification.md, official code).
// Defaults: tau 0.95 (conf_thresh), mode 'pixelwise', ignore value 255.
// NOTE: every pixel ignored is 0/0 in the reference; lathe gives a finite 0 with a graph. An
// image with every pixel ignored gives 0/0 for r_b, a_b in the reference ('pixelratio',
// 'pixelavg'); lathe counts it as 0.
// Gradient (autograd): into s only (y^ and conf are detached). Ties in the argmax: the first.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor fixmatch_confidence_ce(const Tensor& input, const Tensor& weak, const Tensor& ignore,
                              const FixmatchConfidenceCeOptions& o) {
  const char* op = "fixmatch_confidence_ce";
  check_floating(op, "input", input);
  check_floating(op, "weak", weak);
  check_dim(op, "input", input, 4);
  check_same_shape(op, "input", input, "weak", weak);
  const Shape& s = input.shape();
  int64_t b = s[0], c = s[1], h = s[2], w = s[3];
  LATHE_CHECK(ignore.defined() && is_integral(ignore.dtype()) && ignore.shape() == Shape({b, h, w}),
              "[", op, "] ignore must be integers [", b, ", ", h, ", ", w, "], got ",
              ignore.defined() ? ignore.shape() : Shape{});
  LATHE_CHECK(o.mode == "pixelwise" || o.mode == "pixelratio" || o.mode == "pixelavg", "[", op,
              "] mode must be pixelwise, pixelratio or pixelavg, got '", o.mode, "'");
  Tensor pw = softmax(weak.detach(), 1);                                         // [B, C, H, W]
  Tensor conf = max(pw, {1});                                                    // [B, H, W]
  Tensor yhat = argmax(pw, 1);                                                   // [B, H, W]
  Tensor flat = reshape(permute(input, {0, 2, 3, 1}), {b * h * w, c});           // [BHW, C]
  Tensor l = reshape(softmax_cross_entropy(flat, reshape(yhat, {b * h * w})), {b, h, w});
  Tensor valid = cast(ne(ignore.to(DType::i64), double(o.ignore_value)), input.dtype());
  Tensor n = sum(valid);                                                         // []
  Tensor hi = cast(ge(conf, o.tau), input.dtype()) * valid;                      // [B, H, W]
  Tensor per_image = maximum(sum(valid, {1, 2}, true), 1.0);                     // [B, 1, 1]
  Tensor total;
  if (o.mode == "pixelwise") {
    total = sum(l * hi);
  } else if (o.mode == "pixelratio") {
    total = sum(l * (sum(hi, {1, 2}, true) / per_image));
  } else {
    total = sum(l) * sum(sum(conf * valid, {1, 2}, true) / per_image);
  }
  return where(gt(n, 0.0), total / maximum(n, 1.0), 0.0 * total);
}

LATHE_REGISTER_OPS(fixmatch_confidence_ce) {
  registry.add(OpDef("fixmatch_confidence_ce", "classification")
                   .summary("cross-entropy to confident weak-view pseudo labels, per pixel")
                   .paper("SemiCD-VL: Visual-Language Model Guidance Makes Better "
                          "Semi-supervised Change Detector")
                   .input("input")
                   .input("weak", Kind::floating, kNoGrad)
                   .input("ignore", Kind::integer)
                   .options<FixmatchConfidenceCeOptions>()
                   .attr("tau", &FixmatchConfidenceCeOptions::tau, "confidence threshold")
                   .attr("mode", &FixmatchConfidenceCeOptions::mode,
                         "pixelwise | pixelratio | pixelavg (the reference's quirk)")
                   .attr("ignore_value", &FixmatchConfidenceCeOptions::ignore_value,
                         "ignore-map value of invalid pixels")
                   .own_reduction("sum over pixels / number of valid pixels (a scalar)")
                   .output("loss")
                   .run(fixmatch_confidence_ce));
}

}  // namespace lathe
