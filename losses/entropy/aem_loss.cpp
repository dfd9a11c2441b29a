// aem_loss: Attention Entropy Maximization for MIL whole-slide classification
//   L = CE(z, y) + lam sum_{h,k} softmax(a)_hk log softmax(a)_hk
// of bag logits z [B, C], class indices y [B] (int) and attention logits a [h, K] over the K
// instances of the bag (ABMIL: h = 1): the cross-entropy (mean over bags) plus a negative
// entropy summed (not averaged) over heads and instances, so minimizing spreads the attention.
// top_k > 0: the negative entropy of the top-k attention weights renormalized to sum 1.
// The loss declares its own reduction (CE mean + a summed entropy).
// Paper: "AEM: Attention Entropy Maximization for Multiple Instance Learning based Whole Slide
// Image Classification" (catalog: entropy.md, confidence 'official code': dazhangyu123/AEM
// main.py train_one_epoch).
// Defaults: lam 0.1 (--lamda), top_k 0. DSMIL/MHA variants of the reference divide the entropy
// by the head count; pass lam / h for those.
// Gradient (autograd): as prediction_entropy on the attention logits, from log_softmax (finite
// for saturated attention); the top-k variant differentiates through the selected weights.
// Composite.
#include "losses/classification/classification.h"
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

Tensor aem_loss(const Tensor& input, const Tensor& target, const Tensor& attn_logits,
                const AemLossOptions& o) {
  const char* op = "aem_loss";
  check_floating(op, "input", input);
  check_floating(op, "attn_logits", attn_logits);
  LATHE_CHECK(is_integral(target.dtype()), "[", op, "] class-index targets must be integers, "
              "got ", target.dtype());
  check_dim(op, "attn_logits", attn_logits, 2);
  int64_t k = attn_logits.shape()[1];
  LATHE_CHECK(k > 0, "[", op, "] attn_logits must hold instances, got ", attn_logits.shape());
  LATHE_CHECK(o.top_k >= 0 && o.top_k <= k, "[", op, "] top_k must be in [0, K = ", k,
              "], got ", o.top_k);
  Tensor neg_ent;                                                         // []
  if (o.top_k == 0) {
    Tensor log_a = log_softmax(attn_logits, -1);                          // [h, K]
    neg_ent = sum(exp(log_a) * log_a);
  } else {
    Tensor w = topk(softmax(attn_logits, -1), o.top_k, -1).first;         // [h, k]
    w = w / sum(w, {-1}, true);
    neg_ent = sum(w * log(w));
  }
  return cross_entropy(input, target) + o.lam * neg_ent;
}

LATHE_REGISTER_OPS(aem_loss) {
  registry.add(OpDef("aem_loss", "entropy")
                   .summary("MIL cross-entropy + lam times the summed negative attention entropy")
                   .paper("AEM: Attention Entropy Maximization for Multiple Instance Learning "
                          "based Whole Slide Image Classification")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("attn_logits")
                   .options<AemLossOptions>()
                   .attr("lam", &AemLossOptions::lam, "weight of the negative entropy")
                   .attr("top_k", &AemLossOptions::top_k,
                         "> 0: entropy of the renormalized top-k weights")
                   .own_reduction("cross-entropy mean over bags + an entropy summed over heads "
                                  "and instances")
                   .output("loss")
                   .run(aem_loss));
}

}  // namespace lathe
