// clipn_binary_opposite_loss: CLIPN's image-text binary-opposite loss. Normalized images I,
// "yes"-prompt texts T and "no"-prompt texts T~ [B, D], scale s:
//   d = s (I T^T - I T~^T)  [B, B]; the two-way softmax over (yes, no) is sigmoid(d)
//   L = -mean_i log sigmoid(d_ii) - mean_{i != j} log sigmoid(-d_ij)
// (B = 1 has no off-diagonal pair: that mean is 0.) Paper: "CLIPN for Zero-Shot OOD
// Detection: Teaching CLIP to Say No"; code xmed-lab/CLIPN src/open_clip/loss.py
// image_text_binary_opposite_loss, as the catalog quotes it. NOTE: the reference defines the
// "no" logits only on its multi-GPU branch and takes log(softmax); the op is the single-device
// reading with log sigmoid = -softplus(-x) (stable).
// Defaults: scale 100. Two means, summed.
// Gradients: autograd.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor clipn_binary_opposite_loss(const Tensor& image, const Tensor& text_yes,
                                  const Tensor& text_no, const ClipnBinaryOppositeLossOptions& o) {
  const char* op = "clipn_binary_opposite_loss";
  pairs::check_embeddings(op, "image", image);
  check_shape(op, "text_yes", text_yes, image.shape());
  check_shape(op, "text_no", text_no, image.shape());
  const int64_t b = image.size(0);
  Tensor u = pairs::l2_normalize(image);
  Tensor d = o.scale * (matmul(u, pairs::l2_normalize(text_yes).t()) -
                        matmul(u, pairs::l2_normalize(text_no).t()));          // [B, B]
  Tensor diag = pairs::take_rows(d, arange(b, DType::i64, d.device()));        // [B]
  Tensor yes = mean(softplus(-diag));
  Tensor no = pairs::masked_mean(softplus(d), pairs::not_self(b, d.device()));
  return yes + no;
}

LATHE_REGISTER_OPS(clipn_binary_opposite_loss) {
  registry.add(OpDef("clipn_binary_opposite_loss", "contrastive")
                   .summary("yes/no two-way softmax: matched pairs yes, the others no (CLIPN)")
                   .paper("CLIPN for Zero-Shot OOD Detection: Teaching CLIP to Say No")
                   .input("image")
                   .input("text_yes")
                   .input("text_no")
                   .options<ClipnBinaryOppositeLossOptions>()
                   .attr("scale", &ClipnBinaryOppositeLossOptions::scale, "the logit scale s")
                   .output("loss")
                   .own_reduction("the mean over matched pairs plus the mean over the others")
                   .run(clipn_binary_opposite_loss));
}

}  // namespace lathe
