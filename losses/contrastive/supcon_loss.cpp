// supcon_loss: the supervised contrastive loss of features [B, V, D] (V views) with labels [B].
// Anchors are all N = B V embeddings, each L2-normalized (contrast_mode 'all'):
//   S = Z Z^T / tau,  P(i) = same label and != i,  A(i) = every a != i
//   l_i = -(tau / base_tau) (1 / |P(i)|) sum_{p in P(i)} [S_ip - log sum_{a in A(i)} e^{S_ia}]
// no_positive (anchors with P(i) empty, possible only when V = 1):
//   'exclude' (default, PML's SupConLoss through its AvgNonZeroReducer): they leave the mean;
//             no anchor with a positive gives 0 with a graph;
//   'zero'    (HobbitLong/SupContrast losses.py today): they give 0 and count in the mean.
// Paper: "Supervised Contrastive Learning" (Khosla et al., NeurIPS 2020); catalog sources:
// "Continual Contrastive Spoken Language Understanding"; "Not All Semantics are Created Equal"
// (code as the catalog quotes it: HobbitLong/SupContrast losses.py, PML supcon_loss.py).
// NOTE: PML has no tau/base_tau factor (use base_tau = tau) and returns 0 for a batch of one
// label; the op computes the loss as defined there. Older SupContrast divides by |P(i)| = 0.
// Defaults: tau 0.07, base_tau 0.07, no_positive 'exclude'.
// Gradients: autograd (the row max the reference subtracts changes no value).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor supcon_loss(const Tensor& features, const Tensor& labels, const SupconLossOptions& o) {
  const char* op = "supcon_loss";
  pairs::check_embeddings(op, "features", features, 3);
  pairs::check_labels(op, "labels", labels, features.size(0));
  pairs::check_positive(op, "tau", o.tau);
  pairs::check_positive(op, "base_tau", o.base_tau);
  LATHE_CHECK(o.no_positive == "exclude" || o.no_positive == "zero", "[", op,
              "] no_positive must be exclude or zero, got '", o.no_positive, "'");
  const int64_t b = features.size(0), v = features.size(1), d = features.size(2);
  Tensor z = pairs::l2_normalize(reshape(permute(features, {1, 0, 2}), {v * b, d}));  // [N, D]
  std::vector<Tensor> copies(v, labels);
  Tensor lab = concat(copies, 0);                                                     // [N]
  Tensor s = matmul(z, z.t()) / o.tau;                                                // [N, N]
  Tensor others = pairs::not_self(v * b, s.device());
  Tensor pos = logical_and(pairs::same_label(lab, lab), others);                      // [N, N]
  Tensor logp = s - pairs::masked_logsumexp(s, others, 1, false);                     // [N, N]
  Tensor npos = pairs::count(pos, 1, s.dtype());                                      // [N, 1]
  Tensor l = -(o.tau / o.base_tau) * sum(where(pos, logp, 0.0), {1}, true) / maximum(npos, 1.0);
  if (o.no_positive == "zero") return mean(l);
  return pairs::masked_mean(l, gt(npos, 0.0));
}

LATHE_REGISTER_OPS(supcon_loss) {
  registry.add(OpDef("supcon_loss", "contrastive")
                   .summary("supervised contrastive loss over all views (SupCon)")
                   .paper("Continual Contrastive Spoken Language Understanding; Not All Semantics "
                          "are Created Equal: Contrastive Self-supervised Learning with Automatic "
                          "Temperature Individualization")
                   .input("features")
                   .input("labels", Kind::integer)
                   .options<SupconLossOptions>()
                   .attr("tau", &SupconLossOptions::tau, "temperature, > 0")
                   .attr("base_tau", &SupconLossOptions::base_tau,
                         "the loss is scaled by tau / base_tau")
                   .attr("no_positive", &SupconLossOptions::no_positive,
                         "exclude (PML: leave the mean) | zero (SupContrast: count as 0)")
                   .output("loss")
                   .own_reduction("the mean over anchors, those without a positive left out "
                                  "('exclude') or counted as 0 ('zero')")
                   .run(supcon_loss));
}

}  // namespace lathe
