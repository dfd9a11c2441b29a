// bce_with_logits: binary cross-entropy of logits z against targets t in [0, 1], same shape:
//   l = (1 - t) z + (1 + (p - 1) t) softplus(-z)        pos_weight p (1 when absent)
//     = max(z, 0) - z t + log(1 + exp(-|z|))            without pos_weight
// times an optional weight w broadcast to z, reduced 'mean' (over every element, default),
// 'sum' or 'none'. p broadcasts over the last dim ([C] for z [..., C]).
// Papers: "Singing Voice Separation Using a Deep Convolutional Neural Network Trained by Ideal
// Binary Mask and Cross Entropy"; "An Extendable, Efficient and Effective Transformer-based
// Object Detector"; "Knowledge Graph Embedding by Normalizing Flows" (catalog: classification.md;
// PyTorch F.binary_cross_entropy_with_logits).
// Defaults: no weight, no pos_weight, reduction 'mean'.
// Gradients (autograd): dl/dz = (1 + (p - 1) t)(sigmoid(z) - 1) + (1 - t), and the target's
// dl/dt = -z + (p - 1) softplus(-z), which the catalog requires (ViDT's IoU-aware loss feeds a
// target that is not detached). weight and pos_weight are constants, detached here (PyTorch
// refuses to differentiate either). softplus keeps |z| = 1e4 finite. Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

Tensor bce_with_logits(const Tensor& input, const Tensor& target,
                       const BceWithLogitsOptions& o) {
  const char* op = "bce_with_logits";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction r = parse_reduction(op, o.reduction);
  auto check_broadcast = [&](const char* name, const Tensor& w) {
    if (!w.defined()) return;
    check_floating(op, name, w);
    LATHE_CHECK(broadcast_shapes(w.shape(), input.shape(), op) == input.shape(), "[", op, "] ",
                name, " ", w.shape(), " must broadcast to the input ", input.shape());
  };
  check_broadcast("weight", o.weight);
  check_broadcast("pos_weight", o.pos_weight);
  Tensor sp = softplus(-input);                                 // [..., C] log(1 + e^-z)
  if (o.pos_weight.defined()) sp = (1.0 + (o.pos_weight.detach() - 1.0) * target) * sp;
  Tensor loss = (1.0 - target) * input + sp;                    // [..., C]
  if (o.weight.defined()) loss = loss * o.weight.detach();
  return apply_reduction(loss, r);
}

LATHE_REGISTER_OPS(bce_with_logits) {
  registry.add(OpDef("bce_with_logits", "classification")
                   .summary("binary cross-entropy of logits against targets in [0, 1]")
                   .paper("Singing Voice Separation Using a Deep Convolutional Neural Network "
                          "Trained by Ideal Binary Mask and Cross Entropy; An Extendable, "
                          "Efficient and Effective Transformer-based Object Detector; Knowledge "
                          "Graph Embedding by Normalizing Flows")
                   .input("input")
                   .input("target")
                   .options<BceWithLogitsOptions>()
                   .input("weight", &BceWithLogitsOptions::weight, Kind::floating,
                          kOptional | kNoGrad)
                   .input("pos_weight", &BceWithLogitsOptions::pos_weight, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("reduction", &BceWithLogitsOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(bce_with_logits));
}

}  // namespace lathe
