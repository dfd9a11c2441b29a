// landmark_kd_loss: facial landmark KD with a tough teacher T_h and a tolerant teacher T_l,
// elementwise over the coordinates of the student x, ground truth g and the teachers (all one
// shape; g and the teachers are constants):
//   s = sign(x - g); each teacher is reflected to the student's side of g,
//   T' = g + s |T - g|, with a band edge b' = g + 0.15 s |T - g|;
//   W = a 1[sign(x - T') sign(T' - g) > 0] + a- 1[sign(T' - x) sign(x - b') >= 0] (constant);
//   M = mean(1[|g - x| > |g - T'_l|] ((g - x)^2 + 3 |g - T'_l| - (g - T'_l)^2))
//     + mean(1[|g - x| <= |g - T'_l|] 3 |g - x|);
//   L = wm M + wh mean(W_h |T'_h - x|) + wl mean(W_l |T'_l - x|).
// A negative a- rewards moving away from the teacher inside the band between b' and T'.
// Paper: "Facial Landmark Points Detection Using Knowledge Distillation-Based Neural
// Networks" (Fard, Mahoor, 2022); code aliprf/KD-Loss custom_Losses.py (kd_loss, TensorFlow)
// (catalog: distillation.md). Defaults: ah 1.9, amh -0.45, al 1.8, aml -0.4, wm 2, wh 1, wl 1.
// Backward: masks, signs and reflections are constants; piecewise quadratic and linear in x
// (kinks at x = g, x = T' and the band edges: tests keep away). Reduction: means over every
// coordinate. Composite.
#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

Tensor landmark_kd_loss(const Tensor& input, const Tensor& target, const Tensor& teacher,
                        const LandmarkKdOptions& o) {
  const char* op = "landmark_kd_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_floating(op, "teacher", teacher);
  check_floating(op, "tolerant", o.tolerant);
  check_same_shape(op, "input", input, "target", target);
  check_same_shape(op, "input", input, "teacher", teacher);
  check_same_shape(op, "input", input, "tolerant", o.tolerant);
  Tensor g = target.detach(), x = input;
  Tensor side = sign(x.detach() - g);
  auto reflect = [&](const Tensor& t, Tensor& edge) {
    Tensor dist = abs(t.detach() - g);
    edge = g + side * dist * 0.15;
    return g + side * dist;
  };
  auto weight = [&](const Tensor& t, const Tensor& edge, double a, double am) {
    NoGradGuard no_grad;
    Tensor toward = cast(gt(sign(x - t) * sign(t - g), 0.0), x.dtype());
    Tensor band = cast(ge(sign(t - x) * sign(x - edge), 0.0), x.dtype());
    return toward * a + band * am;
  };
  Tensor bh, bl;
  Tensor th = reflect(teacher, bh), tl = reflect(o.tolerant, bl);
  Tensor wh = weight(th, bh, o.ah, o.amh), wl = weight(tl, bl, o.al, o.aml);
  Tensor gap = abs(g - tl);
  Tensor low = cast(le(abs(g - x), gap), x.dtype());                      // constant mask
  Tensor dx = g - x;
  Tensor main = mean((1.0 - low) * (dx * dx + gap * 3.0 - gap * gap)) + mean(low * abs(dx) * 3.0);
  return main * o.wm + mean(wh * abs(th - x)) * o.wh + mean(wl * abs(tl - x)) * o.wl;
}

LATHE_REGISTER_OPS(landmark_kd_loss) {
  registry.add(OpDef("landmark_kd_loss", "distillation")
                   .summary("landmark KD with a tough and a tolerant teacher reflected to the "
                            "student's side of the ground truth")
                   .paper("Facial Landmark Points Detection Using Knowledge Distillation-Based "
                          "Neural Networks")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<LandmarkKdOptions>()
                   .input("tolerant", &LandmarkKdOptions::tolerant, Kind::floating, kNoGrad)
                   .attr("ah", &LandmarkKdOptions::ah, "weight toward the tough teacher")
                   .attr("amh", &LandmarkKdOptions::amh, "weight inside the tough band")
                   .attr("al", &LandmarkKdOptions::al, "weight toward the tolerant teacher")
                   .attr("aml", &LandmarkKdOptions::aml, "weight inside the tolerant band")
                   .attr("wm", &LandmarkKdOptions::wm, "weight of the main term")
                   .attr("wh", &LandmarkKdOptions::wh, "weight of the tough-teacher term")
                   .attr("wl", &LandmarkKdOptions::wl, "weight of the tolerant-teacher term")
                   .output("loss")
                   .own_reduction("sums of means over every coordinate")
                   .run(landmark_kd_loss));
}

}  // namespace lathe
