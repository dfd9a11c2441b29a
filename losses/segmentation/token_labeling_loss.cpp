// token_labeling_loss: ViDT+'s token labeling loss. For each encoder token map x_l
// [B, K, h_l, w_l] (logits) the soft target is t_l = adaptive_avg_pool2d(M, (h_l, w_l)) of the
// one-hot class map M [B, K, H, W], and
//   focal_l = sum_{b,k} mean_{hw} [(0.25 t + 0.75 (1 - t)) ce (1 - p_t)^2] / num_boxes
//             (sigmoid focal loss, alpha 0.25, gamma 2; ce = BCE with logits,
//              p_t = p t + (1 - p)(1 - t), p = sigmoid(x))
//   dice_l  = sum_b [1 - (2 sum p t + 1) / (sum p + sum t + 1)] / num_boxes  (DETR Dice, one
//             row per image, flattened over K h w)
//   L = sum_l (focal_l + dice_l)
// Paper: "An Extendable, Efficient and Effective Transformer-based Object Detector" (ViDT+)
// (catalog: segmentation.md; naver-ai/vidt methods/vidt/criterion.py loss_tokens).
// M is a data step left to the caller: the reference paints the instance masks into one
// per-pixel class map (later instances do not overwrite earlier ones), one-hots it over 91
// classes and flips channel 0 into a foreground channel.
// adaptive_avg_pool2d is written here as two averaging matrices (rows i average the inputs
// floor(i H / h) .. ceil((i + 1) H / h) - 1, as PyTorch's), so a token map larger than the mask
// works too. Gradients (autograd); M is a constant. Composite; a scalar (own reduction).
#include <cmath>

#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {
namespace {

// The [out, in] matrix of 1-D adaptive average pooling.
Tensor averaging_matrix(int64_t out, int64_t in, const Tensor& like) {
  std::vector<double> a(static_cast<size_t>(out * in), 0.0);
  for (int64_t i = 0; i < out; ++i) {
    int64_t lo = (i * in) / out, hi = ((i + 1) * in + out - 1) / out;
    for (int64_t j = lo; j < hi; ++j) a[static_cast<size_t>(i * in + j)] = 1.0 / (hi - lo);
  }
  return from_vector(a, {out, in}, like.dtype(), like.device());
}

}  // namespace

Tensor adaptive_avg_pool2d(const Tensor& x, int64_t h, int64_t w) {
  int64_t nd = x.dim();
  Tensor ah = averaging_matrix(h, x.shape()[nd - 2], x);                  // [h, H]
  Tensor aw = averaging_matrix(w, x.shape()[nd - 1], x);                  // [w, W]
  return matmul(matmul(ah, x), transpose(aw, 0, 1));                      // [..., h, w]
}

Tensor token_labeling_loss(const std::vector<Tensor>& token_logits, const Tensor& onehot_map,
                           double num_boxes) {
  const char* op = "token_labeling_loss";
  check_floating(op, "onehot_map", onehot_map);
  check_dim(op, "onehot_map", onehot_map, 4);
  LATHE_CHECK(!token_logits.empty(), "[", op, "] needs at least one token map");
  LATHE_CHECK(std::isfinite(num_boxes) && num_boxes > 0.0, "[", op,
              "] num_boxes must be > 0, got ", num_boxes);
  Tensor m = onehot_map.detach();
  Tensor total;
  for (const Tensor& x : token_logits) {
    check_floating(op, "token_logits", x);
    LATHE_CHECK(x.dim() == 4 && x.shape()[0] == m.shape()[0] && x.shape()[1] == m.shape()[1],
                "[", op, "] token map ", x.shape(), " must be [B, K, h, w] with B, K of the map ",
                m.shape());
    int64_t b = x.shape()[0];
    Tensor t = adaptive_avg_pool2d(m, x.shape()[2], x.shape()[3]);        // [B, K, h, w]
    Tensor p = sigmoid(x);
    Tensor ce = softplus(x) - x * t;                                      // BCE with logits
    Tensor pt = p * t + (1.0 - p) * (1.0 - t);
    Tensor foc = (0.25 * t + 0.75 * (1.0 - t)) * ce * (1.0 - pt) * (1.0 - pt);
    Tensor focal = sum(mean(foc, {2, 3})) / num_boxes;
    Tensor pf = reshape(p, {b, p.numel() / b}), tf = reshape(t, {b, t.numel() / b});
    Tensor dice = sum(1.0 - (2.0 * sum(pf * tf, {1}) + 1.0) /
                                (sum(pf, {1}) + sum(tf, {1}) + 1.0)) / num_boxes;
    Tensor level = focal + dice;
    total = total.defined() ? total + level : level;
  }
  return total;
}

LATHE_REGISTER_OPS(token_labeling_loss) {
  registry.add(OpDef("token_labeling_loss", "segmentation")
                   .summary("ViDT+ token labeling: focal + Dice of token maps against pooled "
                            "one-hot maps")
                   .paper("An Extendable, Efficient and Effective Transformer-based Object "
                          "Detector")
                   .input("token_logits", Kind::floating, kVariadic)
                   .input("onehot_map", Kind::floating, kNoGrad)
                   .attr("num_boxes", std::numeric_limits<double>::quiet_NaN(),
                         "the normalizer, required")
                   .own_reduction("sums over levels, images and classes, over num_boxes")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{token_labeling_loss(c.ins("token_logits"),
                                                        c.in("onehot_map"), c.f("num_boxes"))};
                   }));
}

}  // namespace lathe
