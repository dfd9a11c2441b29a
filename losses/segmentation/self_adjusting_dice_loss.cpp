// self_adjusting_dice_loss: Dice with the self-adjusting factor of Li et al., which replaces a
// probability p by q = (1 - p)^alpha p so that easy examples (p near 1) weigh less, with
// smoothing gamma (`smooth`). Three forms, named by `variant`:
//   binary_set (default, the released code's binary path): p = sigmoid(x) over every element,
//       labels y in {0, 1}: L = 1 - (2 sum q y + gamma) / (sum q + sum y + gamma); with
//       square_denominator the denominator is sum q^2 + sum y^2 + gamma;
//   paper: per example, L = mean_i [1 - (2 q_i y_i + gamma) / (q_i + y_i + gamma)];
//   multiclass_code (the released code's multi-class path): logits [N, C], p = softmax over C,
//       y one-hot of labels [N]; per class a per-token numerator over a global denominator,
//       l_i = sum_c [1 - (2 q_ic y_ic + gamma) / (sum_j q_jc + sum_j y_jc + gamma)], and with
//       square_denominator per-token squares, 1 - (2qy + gamma) / (q^2 + y^2 + gamma); reduced
//       over tokens by `reduction` (mean, default; sum; none keeps l_i).
// An optional 0/1 mask multiplies p and y before the factor (binary: the input's shape;
// multiclass_code: [N], one value per token).
// Paper: "Dice Loss for Data-imbalanced NLP Tasks" (Li et al., ACL 2020) (catalog:
// segmentation.md; ShannonAI/dice_loss_for_NLP loss/dice_loss.py DiceLoss).
// Defaults (the class's): alpha 0, gamma 1e-4, square_denominator false, variant binary_set;
// the released experiment scripts use gamma 1, alpha 0.01, square_denominator true.
// NOTE (checked against loss/dice_loss.py): the multi-class global denominator is a quirk of
// the released code (_compute_dice_loss on [N, 1] slices: per-token intersection, global sums),
// kept as 'multiclass_code'; the paper's per-example form is 'paper'. The code picks its binary
// path only when the last dim is 1 (a 1-D input of N > 1 logits goes down the multi-class
// path); here the variant says which. Its mask [N] multiplies the [N, C] probabilities by
// broadcasting, which only runs when N = C; lathe applies it per token, the evident intent.
// Not implemented: OHEM (ohem_ratio > 0), whose released thresholds keep keep - 2 negatives
// (sorted_neg[-keep + 1] with a strict >) and whose multi-class condition changes meaning
// through operator precedence (catalog); a caller can mask the tokens it keeps instead.
// Gradients (autograd): d(1 - p)^alpha / dp is singular at p = 1 for 0 < alpha < 1; sigmoid and
// softmax keep p < 1 for finite logits. Composite.
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor self_adjusting_dice_loss(const Tensor& input, const Tensor& target,
                                const SelfAdjustingDiceLossOptions& o) {
  const char* op = "self_adjusting_dice_loss";
  const std::string& v = o.variant;
  LATHE_CHECK(v == "binary_set" || v == "paper" || v == "multiclass_code", "[", op,
              "] variant must be binary_set, paper or multiclass_code, got '", v, "'");
  check_floating(op, "input", input);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()), "[", op,
              "] target must hold integer labels, got ",
              target.defined() ? dtype_name(target.dtype()) : "nothing");
  LATHE_CHECK(o.alpha >= 0.0 && o.smooth >= 0.0, "[", op, "] alpha and smooth must be >= 0, got ",
              o.alpha, " and ", o.smooth);
  bool multi = v == "multiclass_code";
  if (multi) {
    LATHE_CHECK(input.dim() == 2 && target.dim() == 1 && target.shape()[0] == input.shape()[0],
                "[", op, "] multiclass_code needs logits [N, C] and labels [N], got ",
                input.shape(), " and ", target.shape());
  } else {
    LATHE_CHECK(input.shape() == target.shape(), "[", op, "] input ", input.shape(),
                " and target ", target.shape(), " must have the same shape");
  }
  Reduction reduction = parse_reduction(op, o.reduction);
  if (o.mask.defined()) {
    check_floating(op, "mask", o.mask);
    Shape want = multi ? Shape{input.shape()[0]} : input.shape();
    check_shape(op, "mask", o.mask, want);
  }
  int64_t hi = multi ? input.shape()[1] : 2;
  if (target.numel() > 0) {
    int64_t lo_v = static_cast<int64_t>(min(target).item());
    int64_t hi_v = static_cast<int64_t>(max(target).item());
    LATHE_CHECK(lo_v >= 0 && hi_v < hi, "[", op, "] labels must lie in [0, ", hi,
                "), got values in [", lo_v, ", ", hi_v, "]");
  }
  auto factor = [&](const Tensor& p) { return o.alpha == 0.0 ? p : pow(1.0 - p, o.alpha) * p; };
  double s = o.smooth;
  if (multi) {
    Tensor p = softmax(input, -1);                                       // [N, C]
    Tensor t = cast(one_hot(target, input.shape()[1]), input.dtype());   // [N, C]
    if (o.mask.defined()) {
      Tensor m = unsqueeze(o.mask.detach(), 1);                          // [N, 1]
      p = p * m;
      t = t * m;
    }
    Tensor q = factor(p);
    Tensor den = o.square_denominator ? q * q + t * t : sum(q, {0}, true) + sum(t, {0}, true);
    return apply_reduction(sum(1.0 - (2.0 * q * t + s) / (den + s), {1}), reduction);  // [N]
  }
  Tensor p = reshape(sigmoid(input), {input.numel()});                   // [M]
  Tensor t = reshape(cast(target, input.dtype()), {input.numel()});      // [M]
  if (o.mask.defined()) {
    Tensor m = reshape(o.mask.detach(), {input.numel()});
    p = p * m;
    t = t * m;
  }
  Tensor q = factor(p);
  if (v == "paper") return mean(1.0 - (2.0 * q * t + s) / (q + t + s));
  Tensor den = o.square_denominator ? sum(q * q) + sum(t * t) : sum(q) + sum(t);
  return 1.0 - (2.0 * sum(q * t) + s) / (den + s);
}

LATHE_REGISTER_OPS(self_adjusting_dice_loss) {
  using O = SelfAdjustingDiceLossOptions;
  registry.add(OpDef("self_adjusting_dice_loss", "segmentation")
                   .summary("self-adjusting Dice with the (1 - p)^alpha factor (Li et al.)")
                   .paper("Dice Loss for Data-imbalanced NLP Tasks")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<O>()
                   .input("mask", &O::mask, Kind::floating, kOptional | kNoGrad)
                   .attr("alpha", &O::alpha, "exponent of the factor (1 - p)^alpha")
                   .attr("smooth", &O::smooth, "gamma, added to numerator and denominator")
                   .attr("variant", &O::variant, "binary_set | paper | multiclass_code")
                   .attr("square_denominator", &O::square_denominator,
                         "squares in the denominator (binary_set, multiclass_code)")
                   .attr("reduction", &O::reduction,
                         "multiclass_code: none | mean | sum over tokens")
                   .own_reduction("binary_set is one set-level scalar and paper a mean over "
                                  "examples; reduction applies to multiclass_code's tokens")
                   .output("loss")
                   .run(self_adjusting_dice_loss));
}

}  // namespace lathe
