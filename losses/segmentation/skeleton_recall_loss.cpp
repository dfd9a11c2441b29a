// skeleton_recall_loss: Skeleton Recall of logits z [B, C, spatial...] against the tubed
// ground-truth skeleton S of the same shape (a constant, computed on the host: skimage
// skeletonize, two binary dilations, times the ground truth, one-hot per class):
//   p = softmax(z, 1),  recall_bk = (sum p S + 1e-5) / max(sum S + 1e-5, 1e-8)
//   L = -mean over (b, k >= 1) of recall_bk
// used as CE + lambda SRL (lambda 1) by the caller.
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks Skeleton Recall) (catalog: segmentation.md; jmlipman/TopoMortar
// lib/losses_skeletonrecallloss.py).
// Gradients (autograd, linear in p). A class with an empty skeleton has recall exactly 1 and
// no gradient. Composite; a scalar (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor skeleton_recall_loss(const Tensor& input, const Tensor& skeleton) {
  const char* op = "skeleton_recall_loss";
  seg::check_dense(op, "input", input);
  check_floating(op, "skeleton", skeleton);
  check_same_shape(op, "input", input, "skeleton", skeleton);
  LATHE_CHECK(input.shape()[1] >= 2, "[", op,
              "] needs a background and at least one foreground class, got C = ",
              input.shape()[1]);
  Axes ax = seg::spatial_axes(input);
  Tensor p = slice(softmax(input, 1), 1, 1);                               // [B, C-1, ...]
  Tensor s = slice(skeleton.detach(), 1, 1);
  Tensor rec = (sum(p * s, ax) + 1e-5) / clamp(sum(s, ax) + 1e-5, 1e-8);  // [B, C-1]
  return -mean(rec);
}

LATHE_REGISTER_OPS(skeleton_recall_loss) {
  registry.add(OpDef("skeleton_recall_loss", "segmentation")
                   .summary("negative soft recall of the tubed ground-truth skeleton")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("skeleton", Kind::floating, kNoGrad)
                   .own_reduction("the mean over (batch, foreground classes)")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{skeleton_recall_loss(c.in("input"), c.in("skeleton"))};
                   }));
}

}  // namespace lathe
