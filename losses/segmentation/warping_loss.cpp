// warping_loss: TopoMortar's warping loss once it is active, given the critical pixels found on
// the host (simple-point warping of the hard prediction and of the ground truth, by distance
// transforms), for logits z [B, C, spatial...], a one-hot target g of the same shape and the
// critical mask m (bool [B, spatial...]):
//   dice = -mean_{b,c} (2 sum PG + 1e-5) / max(sum G + sum P + 1e-5, 1e-8),  P = softmax(z, 1)
//   ce   = -log_softmax(z, 1) at the label argmax_c g, per pixel
//   L    = dice + weight sum(ce m) / max(sum m, 1)
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks the warping loss) (catalog: segmentation.md; jmlipman/TopoMortar
// lib/losses.py).
// Defaults: weight 0.1. The schedule (the loss is switched on after 70% of training) and the
// host-side warping that yields m belong to the caller.
// NOTE (checked against the TopoMortar code): its CE term is _crossentropy_loss(P m,
// one_hot(y m), 1), i.e. mean over all B x pixels of -log(P m + 1e-15) at the one-hot of the
// masked labels, which adds the constant -log(1e-15) = 34.5 at every non-critical pixel and
// scales the critical pixels' gradient by 1 / (B pixels); its critical pixels come from the
// foreground channel only (binary segmentation). lathe follows the catalog's form, the
// cross-entropy averaged over the critical pixels (the same gradient direction per pixel).
// Gradients (autograd); g and m are constants. No critical pixel: the CE term is 0. Composite;
// a scalar (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {

Tensor warping_loss(const Tensor& input, const Tensor& target, const Tensor& critical,
                    double weight) {
  const char* op = "warping_loss";
  seg::check_dense(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Shape pix = input.shape();
  pix.erase(1);
  LATHE_CHECK(critical.defined() && critical.dtype() == DType::boolean &&
                  critical.shape() == pix,
              "[", op, "] critical must be a bool mask ", pix, ", got ",
              critical.defined() ? critical.shape() : Shape{});
  Tensor g = target.detach();
  Tensor dice = seg::negative_dice(softmax(input, 1), g);
  Tensor label = argmax(g, 1, true);                                       // [B, 1, ...]
  Tensor ce = -squeeze(gather(log_softmax(input, 1), label, 1), {1});      // [B, ...]
  Tensor m = cast(critical, input.dtype());
  Tensor count = clamp(sum(m), 1.0);
  return dice + weight * sum(ce * m) / count;
}

LATHE_REGISTER_OPS(warping_loss) {
  registry.add(OpDef("warping_loss", "segmentation")
                   .summary("negative Dice plus CE on host-found critical pixels (TopoMortar)")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .input("critical", Kind::boolean)
                   .attr("weight", 0.1, "weight of the CE on critical pixels")
                   .own_reduction("Dice mean plus the CE mean over critical pixels")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{warping_loss(c.in("input"), c.in("target"),
                                                 c.in("critical"), c.f("weight"))};
                   }));
}

}  // namespace lathe
