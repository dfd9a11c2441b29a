// attention_refocusing_loss: MagiCapture's attention refocusing (AR) loss. For each sample b and
// each special token k of its prompt, the stored cross-attention maps of that token A[b, k]
// [L, h, w] (L = layers x heads) are resized bilinearly to the mask size [H, W]
// (F.interpolate, align_corners=False), min-max normalized per map with constant (detached)
// min and max, and set to 1 inside the token's target region (M >= 0.5); then
//   l_b = weight mean_k mean_{H,W} (mean_L A~[b, k] - M[b, k])^2,
// i.e. the mean map is pushed to 0 outside the region. Input A [B, K, L, h, w], target masks M
// [B, K, H, W] (constants; a composed sample passes 1 - M for the subject token itself).
// Reduced 'sum' (default: the reference sums over the batch), 'mean' or 'none'.
// Paper: "MagiCapture: High-Resolution Multi-Concept Portrait Customization" (Hyung, Shin,
// Choo; catalog: generative.md, official code junhahyung/MagiCapture lora_diffusion_/
// magicapture_train.py loss_step, the attention-loss block and attn_loss *= 2.5,
// train_magicapture.sh: 16 x 16 maps resized to 64 x 64).
// Defaults: weight 2.5, reduction sum. NOTE: a constant map (max - min = 0) divides by zero in
// the reference (NaN); lathe floors the range at 1e-12, so such a map normalizes to 0.
// Defined backward: the normalization constants are detached (as the reference), so the
// gradient is not the finite difference of the forward; tested against PyTorch's autograd of
// the same form. The bilinear resize is interpolate (ops/nn/resample.h).
// Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"
#include "ops/nn/resample.h"

namespace lathe {

Tensor attention_refocusing_loss(const Tensor& input, const Tensor& target,
                                 const AttentionRefocusingLossOptions& o) {
  const char* op = "attention_refocusing_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_dim(op, "input", input, 5);
  check_dim(op, "target", target, 4);
  const Shape& s = input.shape();
  const Shape& ms = target.shape();
  LATHE_CHECK(ms[0] == s[0] && ms[1] == s[1], "[", op, "] masks ", ms,
              " must be [B, K, H, W] for maps [B, K, L, h, w] = ", s);
  LATHE_CHECK(s[2] > 0 && s[3] > 0 && s[4] > 0 && ms[2] > 0 && ms[3] > 0, "[", op,
              "] empty maps or masks: ", s, " and ", ms);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor m = target.detach();                                             // [B, K, H, W]
  InterpolateOptions resize;
  resize.mode = "bilinear";
  resize.size = {ms[2], ms[3]};
  Tensor maps = interpolate(reshape(input, {s[0] * s[1], s[2], s[3], s[4]}), resize);
  maps = reshape(maps, {s[0], s[1], s[2], ms[2], ms[3]});                // [B, K, L, H, W]
  Tensor mn = min(maps.detach(), {3, 4}, true);                           // [B, K, L, 1, 1]
  maps = maps - mn;
  Tensor mx = clamp(max(maps.detach(), {3, 4}, true), 1e-12);             // [B, K, L, 1, 1]
  maps = maps / mx;
  Tensor inside = unsqueeze(ge(m, 0.5), 2);                               // [B, K, 1, H, W]
  maps = where(inside, 1.0, maps);                                        // [B, K, L, H, W]
  Tensor d = mean(maps, {2}) - m;                                         // [B, K, H, W]
  Tensor per = mean(d * d, {1, 2, 3});                                    // [B]
  return apply_reduction(o.weight * per, r);
}

LATHE_REGISTER_OPS(attention_refocusing_loss) {
  registry.add(OpDef("attention_refocusing_loss", "generative")
                   .summary("MagiCapture attention refocusing: token attention pushed to 0 "
                            "outside its mask")
                   .paper("MagiCapture: High-Resolution Multi-Concept Portrait Customization")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<AttentionRefocusingLossOptions>()
                   .attr("weight", &AttentionRefocusingLossOptions::weight,
                         "attn_loss weight (second phase)")
                   .attr("reduction", &AttentionRefocusingLossOptions::reduction,
                         "none | mean | sum over samples")
                   .custom_backward("the per-map min and max are detached (constants)")
                   .output("loss")
                   .run(attention_refocusing_loss));
}

}  // namespace lathe
