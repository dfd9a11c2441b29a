// stssdl_prototype_loss: ST-SSDL's prototype losses. Queries q_t (the current window) and q_a
// (its historical average) [B, N, d], learnable prototypes P [M, d]:
//   i_t = the two prototypes of largest q_t . P (softmax is monotone: its top-2), i_a likewise
//   pos_t, neg_t = P[i_t[0]], P[i_t[1]],  pos_a = P[i_a[0]]
//   L_c = triplet_margin_loss(sg(q_t), pos_t, neg_t, margin)        (only prototypes learn)
//   L_d = L1(sg(sum_d |q_t - q_a|), sum_d |pos_t - pos_a|)
//   L = lam_c L_c + lam_d L_d
// The queries receive no gradient (they only choose prototypes and give detached targets).
// Paper: "How Different from the Past? Spatio-Temporal Time Series Forecasting with
// Self-Supervised Deviation Learning"; code Jimmy-7664/ST-SSDL model_STSSDL/STSSDL.py
// (query_prototypes), train_STSSDL.py, as the catalog quotes it.
// Defaults: lam_c 0.1 (METR-LA: 0.01), lam_d 1, margin 0.5. Means.
// Gradients: autograd into P; the top-2 choice is constant (ties and argmax changes are kinks).
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor stssdl_prototype_loss(const Tensor& q_t, const Tensor& q_a, const Tensor& prototypes,
                             const StssdlPrototypeLossOptions& o) {
  const char* op = "stssdl_prototype_loss";
  pairs::check_embeddings(op, "q_t", q_t, 3);
  check_shape(op, "q_a", q_a, q_t.shape());
  pairs::check_embeddings(op, "prototypes", prototypes);
  const int64_t d = q_t.size(2), m = prototypes.size(0);
  check_shape(op, "prototypes", prototypes, {m, d});
  LATHE_CHECK(m >= 2, "[", op, "] needs at least 2 prototypes (a second best), got ", m);
  const int64_t rows = q_t.size(0) * q_t.size(1);
  Tensor qt = reshape(q_t.detach(), {rows, d}), qa = reshape(q_a.detach(), {rows, d});  // [BN, d]
  Tensor it = topk(matmul(qt, prototypes.detach().t()), 2, 1).second;               // [BN, 2]
  Tensor ia = topk(matmul(qa, prototypes.detach().t()), 2, 1).second;
  Tensor pos_t = index_select(prototypes, it.select(1, 0).contiguous(), 0);         // [BN, d]
  Tensor neg_t = index_select(prototypes, it.select(1, 1).contiguous(), 0);
  Tensor pos_a = index_select(prototypes, ia.select(1, 0).contiguous(), 0);
  TripletMarginLossOptions tm;
  tm.margin = o.margin;
  Tensor lc = triplet_margin_loss(qt, pos_t, neg_t, tm);
  Tensor latent = sum(abs(qt - qa), {1});                                           // [BN]
  Tensor proto = sum(abs(pos_t - pos_a), {1});                                      // [BN]
  Tensor ld = mean(abs(latent - proto));
  return o.lam_c * lc + o.lam_d * ld;
}

LATHE_REGISTER_OPS(stssdl_prototype_loss) {
  registry.add(OpDef("stssdl_prototype_loss", "metric_learning")
                   .summary("prototype triplet and deviation terms of ST-SSDL (prototypes learn)")
                   .paper("How Different from the Past? Spatio-Temporal Time Series Forecasting "
                          "with Self-Supervised Deviation Learning")
                   .input("q_t", Kind::floating, kNoGrad)
                   .input("q_a", Kind::floating, kNoGrad)
                   .input("prototypes")
                   .options<StssdlPrototypeLossOptions>()
                   .attr("lam_c", &StssdlPrototypeLossOptions::lam_c,
                         "weight of the prototype triplet term")
                   .attr("lam_d", &StssdlPrototypeLossOptions::lam_d,
                         "weight of the deviation term")
                   .attr("margin", &StssdlPrototypeLossOptions::margin, "the triplet margin")
                   .output("loss")
                   .own_reduction("weighted sum of two means (triplets, deviations)")
                   .run(stssdl_prototype_loss));
}

}  // namespace lathe
