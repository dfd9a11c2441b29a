// inbatch_infonce_loss: InfoNCE with in-batch negatives of two aligned views z1, z2 [B, D]:
//   S = normalize(z1) normalize(z2)^T / tau      [B, B]
//   l_i = CE(S_i, i) = LSE_j S_ij - S_ii          (row i's positive is column i)
// symmetric averages with the columns' CE(S^T, arange): l_i = (row_i + col_i) / 2.
// Papers: "Understanding the Behaviour of Contrastive Loss" (Wang & Liu, CVPR 2021);
// "VacancySBERT: ..." (the multiple-negatives ranking loss is this op with tau = 0.05)
// (catalog: contrastive.md, standard).
// Defaults: tau 0.07, symmetric false, reduction 'mean' over rows ('none' gives [B]).
// Edge cases: B = 1 gives 0; normalize maps a zero row to 0 (finite).
// Gradients: autograd, dL/dS = (softmax_row(S) - I) / B, then through the normalization.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor inbatch_infonce_loss(const Tensor& z1, const Tensor& z2,
                            const InbatchInfonceLossOptions& o) {
  const char* op = "inbatch_infonce_loss";
  pairs::check_embeddings(op, "z1", z1);
  pairs::check_embeddings(op, "z2", z2);
  check_same_shape(op, "z1", z1, "z2", z2);
  pairs::check_positive(op, "tau", o.tau);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor s = matmul(pairs::l2_normalize(z1), pairs::l2_normalize(z2).t()) / o.tau;  // [B, B]
  Tensor diag = pairs::take_rows(s, arange(s.size(0), DType::i64, s.device()));    // [B]
  Tensor l = squeeze(logsumexp(s, {1}, true), {1}) - diag;                          // [B]
  if (o.symmetric) l = (l + logsumexp(s, {0}) - diag) / 2.0;
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(inbatch_infonce_loss) {
  registry.add(OpDef("inbatch_infonce_loss", "contrastive")
                   .summary("InfoNCE with in-batch negatives: CE(cos(z1, z2^T) / tau, arange)")
                   .paper("Understanding the Behaviour of Contrastive Loss; VacancySBERT: the "
                          "approach for representation of titles and skills for semantic "
                          "similarity search in the recruitment domain")
                   .input("z1")
                   .input("z2")
                   .options<InbatchInfonceLossOptions>()
                   .attr("tau", &InbatchInfonceLossOptions::tau, "temperature, > 0")
                   .attr("symmetric", &InbatchInfonceLossOptions::symmetric,
                         "average with the columns' cross-entropy")
                   .attr("reduction", &InbatchInfonceLossOptions::reduction,
                         "none (per row) | mean | sum")
                   .output("loss")
                   .run(inbatch_infonce_loss));
}

}  // namespace lathe
