// simple_contrastive_loss: the temperature-free contrastive loss on cross-view cosines,
//   S = normalize(z1) normalize(z2)^T,   l_i = -S_ii + lam sum_{k != i} S_ik
// Paper: "Understanding the Behaviour of Contrastive Loss" (Wang & Liu, CVPR 2021), the simple
// loss of its Sec. 3 that trades alignment (-s_ii) against uniformity (lam times the negatives).
// Verification (catalog confidence 'memory'): a search of public pages found the abstract and
// third-party summaries only, which do not give this loss's exact form; no code of the authors
// was found. The op follows the catalog's reading (a cross-view sum, not divided by B - 1).
// Defaults: lam 1. Reduction 'mean' over anchors ('none' gives [B]).
// Edge cases: B = 1 (no negative: -S_11); a zero row maps to 0 (F.normalize).
// Gradients: autograd (linear in the similarities).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor simple_contrastive_loss(const Tensor& z1, const Tensor& z2,
                               const SimpleContrastiveLossOptions& o) {
  const char* op = "simple_contrastive_loss";
  pairs::check_embeddings(op, "z1", z1);
  pairs::check_embeddings(op, "z2", z2);
  check_same_shape(op, "z1", z1, "z2", z2);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor s = matmul(pairs::l2_normalize(z1), pairs::l2_normalize(z2).t());      // [B, B]
  Tensor diag = pairs::take_rows(s, arange(s.size(0), DType::i64, s.device()));  // [B]
  return apply_reduction(-diag + o.lam * (sum(s, {1}) - diag), r);
}

LATHE_REGISTER_OPS(simple_contrastive_loss) {
  registry.add(OpDef("simple_contrastive_loss", "contrastive")
                   .summary("temperature-free -s_ii + lam sum_k s_ik on cross-view cosines")
                   .paper("Understanding the Behaviour of Contrastive Loss")
                   .input("z1")
                   .input("z2")
                   .options<SimpleContrastiveLossOptions>()
                   .attr("lam", &SimpleContrastiveLossOptions::lam, "weight of the negatives")
                   .attr("reduction", &SimpleContrastiveLossOptions::reduction,
                         "none | mean | sum")
                   .output("loss")
                   .run(simple_contrastive_loss));
}

}  // namespace lathe
