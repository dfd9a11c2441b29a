// info_nce_loss: InfoNCE of queries q [N, D] against positive keys k+ [N, D] and optional
// negatives k-, all L2-normalized by the op (JOTR's info_nce):
//   unpaired (k- [M, D], shared):   logits_n = [q_n.k+_n, q_n.k-_1 .. q_n.k-_M] / tau, target 0
//   paired   (k- [N, M, D]):        logits_n = [q_n.k+_n, q_n.k-_{n,1} .. q_n.k-_{n,M}] / tau
//   no k- (either mode):            logits = q k+^T / tau [N, N], target n (in-batch negatives)
//   l_n = CE(logits_n, target_n)
// The mode is never inferred from k-'s shape: a k- whose dims do not match it is an error.
// Paper: "JOTR: 3D Joint Contrastive Learning with Transformers for Occluded Human Mesh
// Recovery"; code as quoted by the catalog (xljh0520/JOTR common/nets/infonce.py).
// Defaults: tau 0.07 (what JOTR's model passes; info_nce's own default is 0.1),
// negative_mode 'unpaired', reduction 'mean' over queries ('none' gives [N]).
// Gradients: autograd (softmax cross-entropy through the normalizations).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor info_nce_loss(const Tensor& query, const Tensor& positive_key,
                     const InfoNceLossOptions& o) {
  const char* op = "info_nce_loss";
  pairs::check_embeddings(op, "query", query);
  pairs::check_embeddings(op, "positive_key", positive_key);
  check_same_shape(op, "query", query, "positive_key", positive_key);
  pairs::check_positive(op, "tau", o.tau);
  LATHE_CHECK(o.negative_mode == "unpaired" || o.negative_mode == "paired", "[", op,
              "] negative_mode must be unpaired or paired, got '", o.negative_mode, "'");
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t n = query.size(0), d = query.size(1);
  Tensor q = pairs::l2_normalize(query), kp = pairs::l2_normalize(positive_key);  // [N, D]
  Tensor logits, pos;                                                           // [N, *], [N]
  if (!o.negatives.defined()) {
    logits = matmul(q, kp.t()) / o.tau;                                         // [N, N]
    pos = pairs::take_rows(logits, arange(n, DType::i64, logits.device()));
  } else {
    const Tensor& kn = o.negatives;
    check_floating(op, "negatives", kn);
    bool paired = o.negative_mode == "paired";
    LATHE_CHECK(kn.dim() == (paired ? 3 : 2), "[", op, "] negatives must have ", paired ? 3 : 2,
                " dims for negative_mode '", o.negative_mode, "', got shape ", kn.shape());
    LATHE_CHECK(kn.size(-1) == d && (!paired || kn.size(0) == n), "[", op, "] negatives ",
                kn.shape(), " must be ", paired ? "[N, M, D]" : "[M, D]", " with N = ", n,
                " and D = ", d);
    Tensor neg = pairs::l2_normalize(kn);
    pos = sum(q * kp, {1}) / o.tau;                                             // [N]
    Tensor nl = paired ? squeeze(matmul(neg, unsqueeze(q, 2)), {2})             // [N, M]
                       : matmul(q, neg.t());                                    // [N, M]
    logits = concat({unsqueeze(pos, 1), nl / o.tau}, 1);                        // [N, 1 + M]
  }
  return apply_reduction(logsumexp(logits, {1}) - pos, r);                      // [N]
}

LATHE_REGISTER_OPS(info_nce_loss) {
  registry.add(OpDef("info_nce_loss", "contrastive")
                   .summary("InfoNCE of queries against positive keys and optional negatives")
                   .paper("JOTR: 3D Joint Contrastive Learning with Transformers for Occluded "
                          "Human Mesh Recovery")
                   .input("query")
                   .input("positive_key")
                   .options<InfoNceLossOptions>()
                   .input("negatives", &InfoNceLossOptions::negatives, Kind::floating, kOptional)
                   .attr("tau", &InfoNceLossOptions::tau, "temperature, > 0")
                   .attr("negative_mode", &InfoNceLossOptions::negative_mode,
                         "unpaired ([M, D] shared) | paired ([N, M, D] per query)")
                   .attr("reduction", &InfoNceLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(info_nce_loss));
}

}  // namespace lathe
