// amcl_loss: Adaptive Multi-head Contrastive Learning, one head and one direction a -> p.
// With a, p, n_j L2-normalized, s+ = <a, p>, s-_j = <a, n_j>, the topK hardest negatives
// (largest s-, K' = min(topK, K) of them) and the pair temperatures tau+ [B], tau-_j [B, K]:
//   l_i = -s+/tau+ + mean_{j in top}(s-_j / tau-_j) + beta Omega(tau+)
//         - beta sum_{j in top}(log tau-_j + 1/tau-_j),        Omega(t) = (D/2) log t + 1/t
// The temperatures come from the caller's temperature head,
// tau(u, v) = tau_min + (tau_max - tau_min) sigmoid(-<phi(u), phi(v)>) (a small MLP phi); the
// model total is the sum over heads of the mean over both directions.
// Paper: "Adaptive Multi-head Contrastive Learning" (Wang et al., ECCV 2024); code
// LeiWangR/cl amcl/losses.py (AMCLNTXentLoss, omega), as the catalog quotes it (a top-k
// approximation of the paper's Eq. 5). D is the embedding width.
// Defaults: beta 0.01 (SimCLR / MoCo; 1e-4 for the Barlow Twins variant), topK 100.
// Reduction: mean over anchors. Gradients: autograd, into the embeddings and the
// temperatures (compute them in f32 or wider: 1/tau reaches 1e5 at tau_min); the top-k
// selection is a constant. A temperature <= 0 is an error.
#include <algorithm>

#include "losses/contrastive/contrastive_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor amcl_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negatives,
                 const Tensor& tau_pos, const Tensor& tau_neg, const AmclLossOptions& o) {
  const char* op = "amcl_loss";
  pairs::check_embeddings(op, "anchor", anchor);
  const int64_t b = anchor.size(0), d = anchor.size(1);
  check_shape(op, "positive", positive, {b, d});
  pairs::check_embeddings(op, "negatives", negatives, 3);
  const int64_t k = negatives.size(1);
  check_shape(op, "negatives", negatives, {b, k, d});
  check_floating(op, "tau_pos", tau_pos);
  check_floating(op, "tau_neg", tau_neg);
  check_shape(op, "tau_pos", tau_pos, {b});
  check_shape(op, "tau_neg", tau_neg, {b, k});
  LATHE_CHECK(k >= 1, "[", op, "] negatives must hold at least one negative per anchor");
  LATHE_CHECK(o.topk >= 1, "[", op, "] topk must be >= 1, got ", o.topk);
  Reduction r = parse_reduction(op, o.reduction);
  const double lo = std::min(cast(min(tau_pos.detach()), DType::f64).cpu().to_vector<double>()[0],
                             cast(min(tau_neg.detach()), DType::f64).cpu().to_vector<double>()[0]);
  LATHE_CHECK(lo > 0.0, "[", op, "] temperatures must be > 0, got ", lo);
  Tensor a = pairs::l2_normalize(anchor), p = pairs::l2_normalize(positive);   // [B, D]
  Tensor ng = pairs::l2_normalize(negatives);                                   // [B, K, D]
  Tensor pos = sum(a * p, {1});                                                 // [B]
  Tensor sneg = sum(a.unsqueeze(1) * ng, {2});                                  // [B, K]
  auto [vals, idx] = topk(sneg, std::min(o.topk, k), 1, true);                 // [B, K']
  Tensor tt = gather(tau_neg, idx, 1);                                          // [B, K']
  Tensor l = -pos / tau_pos + mean(vals / tt, {1}) +
             o.beta * (0.5 * static_cast<double>(d) * log(tau_pos) + 1.0 / tau_pos) -
             o.beta * sum(log(tt) + 1.0 / tt, {1});                             // [B]
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(amcl_loss) {
  registry.add(OpDef("amcl_loss", "contrastive")
                   .summary("AMCL: NT-Xent with learned pair temperatures and their regularizer "
                            "(one head, one direction)")
                   .paper("Adaptive Multi-head Contrastive Learning")
                   .input("anchor")
                   .input("positive")
                   .input("negatives")
                   .input("tau_pos")
                   .input("tau_neg")
                   .options<AmclLossOptions>()
                   .attr("beta", &AmclLossOptions::beta, "weight of the temperature terms")
                   .attr("topk", &AmclLossOptions::topk, "hardest negatives kept, >= 1")
                   .attr("reduction", &AmclLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(amcl_loss));
}

}  // namespace lathe
