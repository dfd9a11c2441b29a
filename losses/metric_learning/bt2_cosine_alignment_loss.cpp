// bt2_cosine_alignment_loss: BT^2's transfer objective. L2-normalized features against cached
// targets (constants, detached here):
//   L = 10 (1 - mean_b <f_old_b^, phi_old_b^>) + (1 - mean_b <f_new_b^, phi_new_b^>) + CE(out, y)
//       (+ 10 CE(pseudo_out, y) when a pseudo classifier's logits are given)
// Paper: "BT^2: Backward-compatible Training with Basis Transformation"; code YifeiZhou02/BT-2
// trainers/transfer_trainer.py, as the catalog quotes it. Defaults: the weights 10, 1, 1, 10 are
// the code's constants. Reduction: means.
// Gradients: autograd; the normalize rule on the live features (a zero row maps to 0).
#include "losses/classification/classification.h"
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor bt2_cosine_alignment_loss(const Tensor& f_old, const Tensor& phi_old, const Tensor& f_new,
                                 const Tensor& phi_new, const Tensor& out, const Tensor& labels,
                                 const Bt2CosineAlignmentLossOptions& o) {
  const char* op = "bt2_cosine_alignment_loss";
  pairs::check_embeddings(op, "f_old", f_old);
  pairs::check_embeddings(op, "f_new", f_new);
  check_shape(op, "phi_old", phi_old, f_old.shape());
  check_shape(op, "phi_new", phi_new, f_new.shape());
  pairs::check_embeddings(op, "out", out);
  pairs::check_labels(op, "labels", labels, out.size(0));
  if (o.pseudo_out.defined()) {
    pairs::check_embeddings(op, "pseudo_out", o.pseudo_out);
    LATHE_CHECK(o.pseudo_out.size(0) == out.size(0), "[", op, "] pseudo_out ",
                o.pseudo_out.shape(), " must have the batch of out ", out.shape());
  }
  auto cos = [](const Tensor& a, const Tensor& b) {
    return mean(sum(pairs::l2_normalize(a) * pairs::l2_normalize(b.detach()), {1}));
  };
  Tensor l = 10.0 * (1.0 - cos(f_old, phi_old)) + (1.0 - cos(f_new, phi_new)) +
             cross_entropy(out, labels);
  if (o.pseudo_out.defined()) l = l + 10.0 * cross_entropy(o.pseudo_out, labels);
  return l;
}

LATHE_REGISTER_OPS(bt2_cosine_alignment_loss) {
  registry.add(OpDef("bt2_cosine_alignment_loss", "metric_learning")
                   .summary("cosine alignment to cached features plus cross-entropies (BT^2)")
                   .paper("BT^2: Backward-compatible Training with Basis Transformation")
                   .input("f_old")
                   .input("phi_old", Kind::floating, kNoGrad)
                   .input("f_new")
                   .input("phi_new", Kind::floating, kNoGrad)
                   .input("out")
                   .input("labels", Kind::integer)
                   .options<Bt2CosineAlignmentLossOptions>()
                   .input("pseudo_out", &Bt2CosineAlignmentLossOptions::pseudo_out,
                          Kind::floating, kOptional)
                   .output("loss")
                   .own_reduction("batch means of the alignment and cross-entropy terms, "
                                  "weighted 10, 1, 1, 10")
                   .run(bt2_cosine_alignment_loss));
}

}  // namespace lathe
