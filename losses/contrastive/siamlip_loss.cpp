// siamlip_loss: SiamLIP's negative-cosine term between a predictor output p and the other
// modality's target v [B, D] (a constant: detached here):
//   l_b = 2 - 2 cos(p_b, sg(v_b))      (cos on L2-normalized rows)
// Paper: "Improved baselines for vision-language pre-training" (SiamLIP); code
// facebookresearch/clip-rocket losses.py SiamLIPLoss, as the catalog quotes it. Computed in
// both directions and added to clip_contrastive_loss by the caller.
// Defaults: reduction 'mean' (the catalog's 2 - 2 mean cos).
// Gradients: autograd into p only.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor siamlip_loss(const Tensor& p, const Tensor& v, const SiamlipLossOptions& o) {
  const char* op = "siamlip_loss";
  pairs::check_embeddings(op, "p", p);
  pairs::check_embeddings(op, "v", v);
  check_same_shape(op, "p", p, "v", v);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor cos = sum(pairs::l2_normalize(p) * pairs::l2_normalize(v.detach()), {1});  // [B]
  return apply_reduction(2.0 - 2.0 * cos, r);
}

LATHE_REGISTER_OPS(siamlip_loss) {
  registry.add(OpDef("siamlip_loss", "contrastive")
                   .summary("2 - 2 cos(p, sg(v)), SimSiam across modalities (SiamLIP)")
                   .paper("Improved baselines for vision-language pre-training")
                   .input("p")
                   .input("v", Kind::floating, kNoGrad)
                   .options<SiamlipLossOptions>()
                   .attr("reduction", &SiamlipLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(siamlip_loss));
}

}  // namespace lathe
