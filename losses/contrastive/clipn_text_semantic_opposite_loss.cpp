// clipn_text_semantic_opposite_loss: CLIPN's text semantic-opposite loss, pushing each "no"
// prompt t~_i to the antipode of its "yes" prompt t_i (both L2-normalized, c_i = t_i . t~_i):
//   'L2':     l_i = 2 - sqrt(2 - 2 c_i + 1e-4)    (the 1e-4 keeps t = t~ differentiable)
//   'cosine': l_i = c_i + 1
// Paper: "CLIPN for Zero-Shot OOD Detection: Teaching CLIP to Say No"; code xmed-lab/CLIPN
// src/open_clip/loss.py text_semantic_opposite_loss, as the catalog quotes it.
// Defaults: mode 'L2', reduction 'mean' over pairs.
// Gradients: autograd.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor clipn_text_semantic_opposite_loss(const Tensor& text_yes, const Tensor& text_no,
                                         const ClipnTextSemanticOppositeLossOptions& o) {
  const char* op = "clipn_text_semantic_opposite_loss";
  pairs::check_embeddings(op, "text_yes", text_yes);
  check_shape(op, "text_no", text_no, text_yes.shape());
  LATHE_CHECK(o.mode == "L2" || o.mode == "cosine", "[", op, "] mode must be L2 or cosine, got '",
              o.mode, "'");
  Reduction r = parse_reduction(op, o.reduction);
  Tensor c = sum(pairs::l2_normalize(text_yes) * pairs::l2_normalize(text_no), {1});  // [B]
  Tensor l = o.mode == "L2" ? 2.0 - sqrt(2.0 - 2.0 * c + 1e-4) : c + 1.0;
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(clipn_text_semantic_opposite_loss) {
  registry.add(OpDef("clipn_text_semantic_opposite_loss", "contrastive")
                   .summary("pushes each 'no' prompt to the antipode of its 'yes' prompt (CLIPN)")
                   .paper("CLIPN for Zero-Shot OOD Detection: Teaching CLIP to Say No")
                   .input("text_yes")
                   .input("text_no")
                   .options<ClipnTextSemanticOppositeLossOptions>()
                   .attr("mode", &ClipnTextSemanticOppositeLossOptions::mode, "L2 | cosine")
                   .attr("reduction", &ClipnTextSemanticOppositeLossOptions::reduction,
                         "none | mean | sum")
                   .output("loss")
                   .run(clipn_text_semantic_opposite_loss));
}

}  // namespace lathe
