// region_wise_loss: the rectified region-wise loss of logits z [B, C, spatial...] and the
// region-wise map rwmap of the same shape (a constant from the host: minus the normalized
// distance transform inside each class's objects, 1 outside):
//   l = softmax(z, 1) * rwmap, reduced 'mean' (default; over every element), 'sum' or 'none'.
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks the region-wise loss) (catalog: segmentation.md; jmlipman/TopoMortar
// lib/losses.py).
// Gradients (autograd); rwmap is detached. Composite.
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor region_wise_loss(const Tensor& input, const Tensor& rwmap, const std::string& reduction) {
  const char* op = "region_wise_loss";
  seg::check_dense(op, "input", input, 2);
  check_floating(op, "rwmap", rwmap);
  check_same_shape(op, "input", input, "rwmap", rwmap);
  Reduction r = parse_reduction(op, reduction);
  return apply_reduction(softmax(input, 1) * rwmap.detach(), r);
}

LATHE_REGISTER_OPS(region_wise_loss) {
  registry.add(OpDef("region_wise_loss", "segmentation")
                   .summary("softmax(logits) weighted by a region-wise distance map")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("rwmap", Kind::floating, kNoGrad)
                   .attr("reduction", "mean", "none | mean | sum")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{region_wise_loss(c.in("input"), c.in("rwmap"),
                                                     c.s("reduction"))};
                   }));
}

}  // namespace lathe
