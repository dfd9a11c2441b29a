// taco_bilinear_infonce: TACO's bilinear InfoNCE. g [B, d] (the state-action projection), a
// learnable W [d, d] and the positives z+ [B, d] (a constant: detached here):
//   L_ij = g_i W z+_j^T,   l_i = CE(L_i, i)
// The reference subtracts the row max first; a log-sum-exp changes neither value nor gradient.
// Paper: "TACO: Temporal Latent Action-Driven Contrastive Loss for Visual Reinforcement
// Learning"; code FrankZheng2022/TACO agents/taco.py compute_logits, as the catalog quotes it.
// The full objective adds the same form between two augmentations (CURL) and a reward MSE.
// Defaults: reduction 'mean' over rows ('none' gives [B]).
// Gradients: autograd into g and W.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor taco_bilinear_infonce(const Tensor& g, const Tensor& w, const Tensor& z_pos,
                             const TacoBilinearInfonceOptions& o) {
  const char* op = "taco_bilinear_infonce";
  pairs::check_embeddings(op, "g", g);
  check_shape(op, "w", w, {g.size(1), g.size(1)});
  check_shape(op, "z_pos", z_pos, g.shape());
  Reduction r = parse_reduction(op, o.reduction);
  Tensor logits = matmul(matmul(g, w), z_pos.detach().t());                          // [B, B]
  Tensor diag = pairs::take_rows(logits, arange(g.size(0), DType::i64, g.device()));  // [B]
  return apply_reduction(logsumexp(logits, {1}) - diag, r);
}

LATHE_REGISTER_OPS(taco_bilinear_infonce) {
  registry.add(OpDef("taco_bilinear_infonce", "contrastive")
                   .summary("bilinear InfoNCE CE(g W z+^T, arange) with constant positives")
                   .paper("TACO: Temporal Latent Action-Driven Contrastive Loss for Visual "
                          "Reinforcement Learning")
                   .input("g")
                   .input("w")
                   .input("z_pos", Kind::floating, kNoGrad)
                   .options<TacoBilinearInfonceOptions>()
                   .attr("reduction", &TacoBilinearInfonceOptions::reduction,
                         "none | mean | sum")
                   .output("loss")
                   .run(taco_bilinear_infonce));
}

}  // namespace lathe
