// semantic_consistency_loss: DietNeRF's semantic consistency between the CLIP image embedding
// of an observed training view phi(I) (target, detached: computed once without gradient) and
// of a view rendered from a random pose phi(I^) (input), per pair (rows [..., D]):
//   form 'code':  l = -lam cos(phi(I), phi(I^))          (run_nerf.py's value)
//   form 'paper': l = lam (1 - cos(phi(I), phi(I^)))   = (lam / 2) |phi(I) - phi(I^)|^2 on
//                                                         normalized embeddings,
// the same gradient; reduced 'mean' (default), 'sum' or 'none' over pairs (the reference has one
// pair per step; the coarse network's term is a second call with lam_0).
// Paper: "Putting NeRF on a Diet: Semantically Consistent Few-Shot View Synthesis" (DietNeRF;
// catalog: generative.md, official code ajayjain/DietNeRF dietnerf/run_nerf.py
// --consistency_loss consistent_with_target_rep, --consistency_loss_lam 0.2,
// --consistency_loss_lam0 0.2: the [CLS] embedding of CLIP ViT-B/32 on 224 x 224 bicubic
// resizes, computed by the caller).
// Defaults: lam 0.2, form code. The cosine is F.cosine_similarity's (norms floored at 1e-8): a
// zero embedding gives cos 0. Gradient (autograd) to the rendered embedding only. Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"
#include "ops/special/special.h"

namespace lathe {

Tensor semantic_consistency_loss(const Tensor& input, const Tensor& target,
                                 const SemanticConsistencyLossOptions& o) {
  const char* op = "semantic_consistency_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.dim() >= 1, "[", op, "] embeddings need a last dim, got ", input.shape());
  LATHE_CHECK(o.form == "code" || o.form == "paper", "[", op,
              "] form must be code | paper, got '", o.form, "'");
  LATHE_CHECK(o.eps > 0, "[", op, "] eps must be > 0, got ", o.eps);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor cos = cosine_similarity(target.detach(), input, -1, o.eps);     // [...]
  Tensor l = o.form == "code" ? -o.lam * cos : o.lam * (1.0 - cos);      // [...]
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(semantic_consistency_loss) {
  registry.add(OpDef("semantic_consistency_loss", "generative")
                   .summary("DietNeRF semantic consistency: -lam cos of observed and rendered "
                            "CLIP embeddings")
                   .paper("Putting NeRF on a Diet: Semantically Consistent Few-Shot View "
                          "Synthesis")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<SemanticConsistencyLossOptions>()
                   .attr("lam", &SemanticConsistencyLossOptions::lam, "lambda (lambda_0: coarse)")
                   .attr("form", &SemanticConsistencyLossOptions::form,
                         "code: -lam cos | paper: lam (1 - cos)")
                   .attr("eps", &SemanticConsistencyLossOptions::eps, "cosine norm floor")
                   .attr("reduction", &SemanticConsistencyLossOptions::reduction,
                         "none | mean | sum over pairs")
                   .output("loss")
                   .run(semantic_consistency_loss));
}

}  // namespace lathe
