// semantic_binding_noise_loss: ToMe's semantic binding loss. The composite token s, fed alone
// (as a one-token sequence after the text encoder's final layer norm), should make the denoiser
// predict what the whole sub-phrase does:
//   l = (eps_theta(z_t, t, LN(s)) - sg eps_theta(z_t, t, LN(e_phrase)))^2   per element,
// reduced 'mean' (default, F.mse_loss), 'sum' or 'none'; the phrase's prediction (target) is
// detached. The reference optimizes s alone by s <- s - 1e4 grad_s L, 3 steps in each of the
// first 7 denoising steps (the caller's loop).
// Paper: "Token Merging for Training-Free Semantic Binding in Text-to-Image Synthesis" (ToMe,
// Hu et al., NeurIPS 2024; catalog: generative.md, confidence 'code (port)': read in the fork
// GWS0428/DiffMerge pipe_tome_fpe_hyunjae.py opt_token / _update_stoken and
// configs/demo_config.py, as the authors' hutaihang/ToMe is not indexed).
// Gradient (autograd): 2 (input - target) / n under 'mean'. Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

namespace lathe {

Tensor semantic_binding_noise_loss(const Tensor& input, const Tensor& target,
                                   const SemanticBindingNoiseLossOptions& o) {
  const char* op = "semantic_binding_noise_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor d = input - target.detach();                                     // [...]
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(semantic_binding_noise_loss) {
  registry.add(OpDef("semantic_binding_noise_loss", "generative")
                   .summary("ToMe semantic binding: MSE of the composite token's noise "
                            "prediction to the detached sub-phrase's")
                   .paper("Token Merging for Training-Free Semantic Binding in Text-to-Image "
                          "Synthesis")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<SemanticBindingNoiseLossOptions>()
                   .attr("reduction", &SemanticBindingNoiseLossOptions::reduction,
                         "none | mean | sum over elements")
                   .output("loss")
                   .run(semantic_binding_noise_loss));
}

}  // namespace lathe
