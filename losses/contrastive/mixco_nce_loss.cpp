// mixco_nce_loss: MixCo's soft-target InfoNCE (M3CoL's mixco_nce). The mixing happens outside
// the op (perm a permutation, beta_i ~ Beta(0.15, 0.15) for the mixed rows, 1 for the others);
// the op takes the mixed m and the other modality f [B, D], beta [B] and perm [B]:
//   S = normalize(m) normalize(f)^T / tau
//   Pi = diag(beta), then Pi[i, perm(i)] = 1 - beta_i  (overwrites the diagonal where perm(i) =
//        i: the reference's quirk, reproduced)
//   L = (-mean_i sum_j Pi_ij log_softmax(S_i)_j - mean_j sum_i Pi_ij log_softmax(S^T_j)_i) / 2
// Paper: "Harnessing Shared Relations via Multimodal Mixup Contrastive Learning for Multimodal
// Classification" (M3CoL); code RaghavSinghal10/M3CoL model/utils.py, as the catalog quotes it.
// Defaults: tau 0.1. Reduction 'mean'; 'none' gives (row_i + column_i) / 2 per index [B].
// Gradients: autograd; beta and perm are constants.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor mixco_nce_loss(const Tensor& m, const Tensor& f, const Tensor& beta, const Tensor& perm,
                      const MixcoNceLossOptions& o) {
  const char* op = "mixco_nce_loss";
  pairs::check_embeddings(op, "m", m);
  pairs::check_embeddings(op, "f", f);
  check_same_shape(op, "m", m, "f", f);
  const int64_t b = m.size(0);
  check_shape(op, "beta", beta, {b});
  pairs::check_labels(op, "perm", perm, b);
  pairs::check_label_range(op, perm, b, "perm");
  pairs::check_positive(op, "tau", o.tau);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor s = matmul(pairs::l2_normalize(m), pairs::l2_normalize(f).t()) / o.tau;  // [B, B]
  Tensor col = unsqueeze(arange(b, DType::i64, m.device()), 0);                   // [1, B]
  Tensor bt = unsqueeze(beta.detach(), 1);                                        // [B, 1]
  Tensor pi = where(eq(col, unsqueeze(cast(perm, DType::i64), 1)), 1.0 - bt,
                    where(eq(col, unsqueeze(arange(b, DType::i64, m.device()), 1)), bt,
                          zeros_like(s)));                                        // [B, B]
  Tensor rows = -sum(pi * log_softmax(s, 1), {1});                                // [B]
  Tensor cols = -sum(pi * log_softmax(s, 0), {0});                                // [B]
  return apply_reduction((rows + cols) / 2.0, r);
}

LATHE_REGISTER_OPS(mixco_nce_loss) {
  registry.add(OpDef("mixco_nce_loss", "contrastive")
                   .summary("MixCo soft-target InfoNCE of mixed samples, both directions")
                   .paper("Harnessing Shared Relations via Multimodal Mixup Contrastive Learning "
                          "for Multimodal Classification")
                   .input("m")
                   .input("f")
                   .input("beta", Kind::floating, kNoGrad)
                   .input("perm", Kind::integer)
                   .options<MixcoNceLossOptions>()
                   .attr("tau", &MixcoNceLossOptions::tau, "temperature, > 0")
                   .attr("reduction", &MixcoNceLossOptions::reduction,
                         "none (per index, directions averaged) | mean | sum")
                   .output("loss")
                   .run(mixco_nce_loss));
}

}  // namespace lathe
