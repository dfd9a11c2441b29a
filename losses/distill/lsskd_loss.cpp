// lsskd_loss: the loss part of LSSKD, a layered self-supervised self-distillation procedure:
// auxiliary classifiers on intermediate feature maps predict joint (class x transformation)
// labels, e.g. 4 rotations give 4C-way labels, as in SSKD/HSAKD. With the final head's
// logits z [B, C], the auxiliary heads' logits a_1 .. a_L [B, K] (shallow to deep), labels y
// [B] and joint labels j [B]:
//   L = CE(z, y) + sum_l CE(a_l, j) + sum_{l < L} T^2 KL_batchmean(softmax(sg(a_{l+1}) / T) ||
//                                                                 softmax(a_l / T)),
// each stage taught by the next deeper one. The auxiliary heads are dropped at inference.
// Paper: "A Layered Self-Supervised Knowledge Distillation Framework for Efficient Multimodal
// Learning on the Edge" (Dahri et al., 2025, arXiv 2506.07055) (catalog: distillation.md,
// procedure, confidence memory).
// Verification: no code by the authors was found (code search for LSSKD / layered
// self-supervised KD found none) and only the abstract was readable: it confirms auxiliary
// classifiers on intermediate feature maps, self-supervised knowledge and one-to-one transfer
// between stages with the heads removed at inference; the KD direction, T and the unit
// weights remain the catalog's reading. A secondary summary's L2 feature term is left out.
// Backward: sg(a_{l+1}) makes it a defined backward (a_{l+1} is also an input, trained by its
// own CE and as the student of a_{l+2}), not the derivative of L: finite differences hold only
// with one auxiliary head. Defaults: T 3. Reduction: sum of the component means (KL
// batchmean). Composite.
#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

using namespace distill;

Tensor lsskd_loss(const Tensor& final_logits, const std::vector<Tensor>& aux_logits,
                  const LsskdOptions& o) {
  const char* op = "lsskd_loss";
  check_floating(op, "final_logits", final_logits);
  check_dim(op, "final_logits", final_logits, 2);
  LATHE_CHECK(o.T > 0, "[", op, "] temperature T must be positive, got ", o.T);
  int64_t b = final_logits.shape()[0];
  Tensor y = check_class_targets(op, o.target, final_logits.shape()[1]);  // [B]
  LATHE_CHECK(y.shape()[0] == b, "[", op, "] targets ", y.shape(), " do not match the batch ",
              final_logits.shape());
  Tensor loss = mean(softmax_cross_entropy(final_logits, y));
  if (aux_logits.empty()) return loss;
  for (const Tensor& a : aux_logits) {
    check_floating(op, "aux_logits", a);
    LATHE_CHECK(a.dim() == 2 && a.shape() == aux_logits[0].shape() && a.shape()[0] == b, "[",
                op, "] auxiliary logits must all be [B, K] with B = ", b, ", got ", a.shape(),
                " and ", aux_logits[0].shape());
  }
  Tensor j = check_class_targets(op, o.joint_target, aux_logits[0].shape()[1]);  // [B]
  LATHE_CHECK(j.shape()[0] == b, "[", op, "] joint targets ", j.shape(),
              " do not match the batch ", final_logits.shape());
  for (const Tensor& a : aux_logits) loss = loss + mean(softmax_cross_entropy(a, j));
  for (size_t l = 0; l + 1 < aux_logits.size(); ++l) {
    Tensor lt = log_softmax(aux_logits[l + 1].detach() / o.T, 1);        // [B, K]
    Tensor ls = log_softmax(aux_logits[l] / o.T, 1);                      // [B, K]
    loss = loss + sum(exp(lt) * (lt - ls)) * (o.T * o.T / double(b));
  }
  return loss;
}

LATHE_REGISTER_OPS(lsskd_loss) {
  registry.add(OpDef("lsskd_loss", "distillation")
                   .summary("LSSKD's loss part: CE of the final head, joint-label CE of each "
                            "auxiliary head, T^2 KL from each auxiliary head to the next")
                   .paper("A Layered Self-Supervised Knowledge Distillation Framework for "
                          "Efficient Multimodal Learning on the Edge")
                   .input("final_logits")
                   .input("aux_logits", Kind::floating, kVariadic)
                   .input("target", Kind::integer)
                   .input("joint_target", Kind::integer)
                   .attr("T", 3.0, "temperature > 0")
                   .output("loss")
                   .custom_backward("defined backward: in each KD pair the deeper head is a "
                                    "detached teacher, though it is also an input (sg(a_l+1))")
                   .own_reduction("sum of the component means (KL batchmean)")
                   .run([](const OpCall& c) {
                     LsskdOptions o;
                     o.target = c.in("target");
                     o.joint_target = c.in("joint_target");
                     o.T = c.f("T");
                     return Outputs{lsskd_loss(c.in("final_logits"), c.ins("aux_logits"), o)};
                   }));
}

}  // namespace lathe
