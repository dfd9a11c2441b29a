// deep_supervision_loss: the loss part of deep supervision (a training procedure). Logits of M
// auxiliary heads [B, C] each, class indices y [B], head weights w [M] (constants):
//   l_b = sum_m w_m CE(head_m(h_m)_b, y_b),
// reduced 'mean' over the batch (default: sum_m w_m CE_mean, the per-head mean weighted), 'sum'
// or 'none' ([B]).
// The procedure around it is the caller's: supervised local learning isolates the blocks
// (h_{m+1} = block_{m+1}(sg(h_m)): detach the features between blocks, so block m is trained by
// its own head only); dynamic token pruning's early exits are non-differentiable routing; the
// momentum auxiliary network's EMA head is not an op. tests/losses/classification_more_test.cpp
// runs the procedure on two blocks with the detach placement and checks where gradients reach.
// Papers: "Dynamic Token Pruning in Plain Vision Transformers for Semantic Segmentation";
// "Scaling Supervised Local Learning with Augmented Auxiliary Networks"; "Momentum Auxiliary
// Network for Supervised Local Learning"; "GCoNet+: A Stronger Group Collaborative Co-Salient
// Object Detector" (catalog: classification.md, kind procedure, confidence 'memory': the
// generic weighted sum; the papers' head weights and wiring were not checked against their
// code, and the catalog marks them unverified).
// Defaults: reduction 'mean'. Heads with different class counts are an error naming the op.
// Gradient (autograd): into every head's logits; the weights are constants.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor deep_supervision_loss(const std::vector<Tensor>& head_logits, const Tensor& target,
                             const Tensor& weights, const DeepSupervisionLossOptions& o) {
  const char* op = "deep_supervision_loss";
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(!head_logits.empty(), "[", op, "] needs at least one head");
  int64_t m = static_cast<int64_t>(head_logits.size());
  check_floating(op, "weights", weights);
  LATHE_CHECK(weights.shape() == Shape{m}, "[", op, "] weights must be [M] = [", m,
              "] (one per head), got ", weights.shape());
  const Tensor& first = head_logits[0];
  check_floating(op, "head_logits", first);
  check_dim(op, "head_logits", first, 2);
  for (const Tensor& z : head_logits) {
    check_floating(op, "head_logits", z);
    LATHE_CHECK(z.shape() == first.shape(), "[", op, "] every head must give ", first.shape(),
                " logits (one class count), got ", z.shape());
  }
  int64_t b = first.shape()[0], c = first.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{b}, "[",
              op, "] class-index targets must be integers [", b, "], got ",
              target.defined() ? target.shape() : Shape{});
  for (int64_t k : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(k >= 0 && k < c, "[", op, "] target ", k, " out of range [0, ", c, ")");
  Tensor y = target.to(DType::i64);
  Tensor w = weights.detach();
  Tensor rows;                                                             // [B]
  for (int64_t i = 0; i < m; ++i) {
    Tensor term = reshape(narrow(w, 0, i, 1), {}) * softmax_cross_entropy(head_logits[i], y);
    rows = rows.defined() ? rows + term : term;
  }
  return apply_reduction(rows, r);
}

LATHE_REGISTER_OPS(deep_supervision_loss) {
  registry.add(OpDef("deep_supervision_loss", "classification")
                   .summary("deep supervision's loss part: weighted cross-entropy of every head")
                   .paper("Dynamic Token Pruning in Plain Vision Transformers for Semantic "
                          "Segmentation; Scaling Supervised Local Learning with Augmented "
                          "Auxiliary Networks; Momentum Auxiliary Network for Supervised Local "
                          "Learning; GCoNet+: A Stronger Group Collaborative Co-Salient Object "
                          "Detector")
                   .input("head_logits", Kind::floating, kVariadic)
                   .input("target", Kind::integer)
                   .input("weights", Kind::floating, kNoGrad)
                   .options<DeepSupervisionLossOptions>()
                   .attr("reduction", &DeepSupervisionLossOptions::reduction,
                         "none | mean | sum, over the batch")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{deep_supervision_loss(
                         c.ins("head_logits"), c.in("target"), c.in("weights"),
                         c.options<DeepSupervisionLossOptions>())};
                   }));
}

}  // namespace lathe
