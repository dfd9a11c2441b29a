// semantic_preservation_loss: ClassDiffusion's SPL, the cosine distance between the pooled
// text embedding of the personalized prompt ("a photo of a [V] dog") and of the class prompt
// ("a photo of a dog"):
//   l = 1 - cos(e_personal, e_class)   per concept (rows [..., D], cosine over the last dim),
// reduced 'mean' (default: the per-concept losses averaged), 'sum' or 'none'. Neither branch
// is detached (both come from the text encoder; only the [V] token embedding trains).
// Paper: "ClassDiffusion: More Aligned Personalization Tuning with Explicit Class Guidance"
// (catalog: generative.md, official code Rbrq03/ClassDiffusion utils/semantic_preservation_
// loss.py SPL, train_class_diffusion.py --use_spl --spl_weight: the pooled end-of-text
// embedding after the final layer norm, loss added to the masked denoising MSE times
// spl_weight 1.0, the caller's).
// The cosine is F.cosine_similarity's (each norm floored at eps = 1e-8): a zero embedding gives
// cos 0, loss 1, finite gradients. Gradient (autograd). Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"
#include "ops/special/special.h"

namespace lathe {

Tensor semantic_preservation_loss(const Tensor& input, const Tensor& target,
                                  const SemanticPreservationLossOptions& o) {
  const char* op = "semantic_preservation_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.dim() >= 1, "[", op, "] embeddings need a last dim, got ", input.shape());
  LATHE_CHECK(o.eps > 0, "[", op, "] eps must be > 0, got ", o.eps);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor cos = cosine_similarity(input, target, -1, o.eps);              // [...]
  return apply_reduction(1.0 - cos, r);
}

LATHE_REGISTER_OPS(semantic_preservation_loss) {
  registry.add(OpDef("semantic_preservation_loss", "generative")
                   .summary("ClassDiffusion SPL: 1 - cos of the personalized and class prompts' "
                            "text embeddings")
                   .paper("ClassDiffusion: More Aligned Personalization Tuning with Explicit "
                          "Class Guidance")
                   .input("input")
                   .input("target")
                   .options<SemanticPreservationLossOptions>()
                   .attr("eps", &SemanticPreservationLossOptions::eps, "cosine norm floor")
                   .attr("reduction", &SemanticPreservationLossOptions::reduction,
                         "none | mean | sum over concepts")
                   .output("loss")
                   .run(semantic_preservation_loss));
}

}  // namespace lathe
