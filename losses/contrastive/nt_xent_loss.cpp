// nt_xent_loss: SimCLR's normalized temperature-scaled cross-entropy of two views z1, z2 [B, D]:
//   Z = normalize([z1; z2])  [2B, D],   S = Z Z^T / tau with the diagonal at -inf (weight 0)
//   l_i = CE(S_i, (i + B) mod 2B)          (the other view of the same sample is the positive)
// times tau / base_temperature when base_temperature > 0 (SupCon-style code's rescaling).
// Papers: "G-SimCLR ..."; "Understanding the Behaviour of Contrastive Loss"; "ScatSimCLR ...";
// "Adaptive Multi-head Contrastive Learning" (catalog: contrastive.md, standard). SimCLR:
// "A Simple Framework for Contrastive Learning of Visual Representations" (Chen et al., 2020).
// Defaults: tau 0.5 (SimCLR CIFAR-10), base_temperature 0 (no rescaling; the catalog's None),
// reduction 'mean' over the 2B anchors ('none' gives [2B]).
// NOTE: the diagonal is excluded exactly (a masked log-sum-exp), not by a large finite number,
// which changes the value. B = 1: the only other entry is the positive, loss 0.
// Gradients: autograd.
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor nt_xent_loss(const Tensor& z1, const Tensor& z2, const NtXentLossOptions& o) {
  const char* op = "nt_xent_loss";
  pairs::check_embeddings(op, "z1", z1);
  pairs::check_embeddings(op, "z2", z2);
  check_same_shape(op, "z1", z1, "z2", z2);
  pairs::check_positive(op, "tau", o.tau);
  LATHE_CHECK(o.base_temperature >= 0, "[", op, "] base_temperature must be > 0 (or 0: none), got ",
              o.base_temperature);
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t b = z1.size(0);
  Tensor z = pairs::l2_normalize(concat({z1, z2}, 0));                     // [2B, D]
  Tensor s = matmul(z, z.t()) / o.tau;                                     // [2B, 2B]
  Device dev = s.device();
  Tensor partner = concat({arange(b, 2 * b, 1, DType::i64, dev), arange(b, DType::i64, dev)});
  Tensor lse = squeeze(pairs::masked_logsumexp(s, pairs::not_self(2 * b, dev), 1, false), {1});
  Tensor l = lse - pairs::take_rows(s, partner);                           // [2B]
  if (o.base_temperature > 0) l = l * (o.tau / o.base_temperature);
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(nt_xent_loss) {
  registry.add(OpDef("nt_xent_loss", "contrastive")
                   .summary("SimCLR NT-Xent of two views, self-similarity excluded")
                   .paper("G-SimCLR: Self-Supervised Contrastive Learning with Guided Projection "
                          "via Pseudo Labelling; Understanding the Behaviour of Contrastive Loss; "
                          "ScatSimCLR: self-supervised contrastive learning with pretext task "
                          "regularization for small-scale datasets; Adaptive Multi-head "
                          "Contrastive Learning")
                   .input("z1")
                   .input("z2")
                   .options<NtXentLossOptions>()
                   .attr("tau", &NtXentLossOptions::tau, "temperature, > 0")
                   .attr("base_temperature", &NtXentLossOptions::base_temperature,
                         "> 0: scale by tau / base_temperature; 0: none")
                   .attr("reduction", &NtXentLossOptions::reduction,
                         "none (2B anchors) | mean | sum")
                   .output("loss")
                   .run(nt_xent_loss));
}

}  // namespace lathe
