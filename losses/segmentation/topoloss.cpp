// topoloss: TopoMortar's TopoLoss, for logits z [B, 2, spatial...] (2-D or 3-D) and labels y
// (integers 0/1 [B, spatial...]):
//   L = CE(z, y) + lam MSE(softmax(z, 1)[:, 1] * w_cp, r_cp)
// with CE and MSE means over pixels. w_cp (1 at critical pixels, 0 elsewhere) and r_cp (the
// value each critical pixel is pushed to) are constants computed on the host per patch of
// topo_size pixels a side from the persistence diagrams of the foreground probability and of the
// labels (losses/segmentation/topology.cpp, through GUDHI), or passed in by the caller (both).
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks TopoLoss; Hu et al., "Topology-Preserving Deep Image Segmentation")
// (catalog: segmentation.md; jmlipman/TopoMortar lib/losses.py TopoLoss, lib/losses_topoloss.py).
// Defaults: lam 100, topo_size 50.
// NOTE (checked against the TopoMortar code): its forward applies softmax to the input and
// _topoloss_2D/3D applies it again (softmax of probabilities), and it takes the ground truth's
// channel 0 (the background) as the topology reference; its CE is the class-weighted
// mean(-g log(p + 1e-15)) of ce_dice_loss. lathe follows the catalog: one softmax, the
// foreground labels y, F.cross_entropy. The maps follow the reference's rules (topology.cpp,
// which also lists where lathe corrects its indexing); a kept component's birth pixel (its peak)
// is pushed to 0 and its death pixel to 1 as the reference writes them (it forces the diagram
// of 1 - p but compares the maps with p).
// Gradients (autograd) flow through CE and through the probabilities at the critical pixels; the
// maps are constants (critical-pixel selection is not differentiable). No critical pixel: the
// MSE of zeros against r_cp = 0. Composite; a scalar (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "losses/segmentation/topology.h"
#include "ops/composite.h"

namespace lathe {

Tensor topoloss(const Tensor& input, const Tensor& target, const Tensor& w_cp,
                const Tensor& r_cp, double lam, int64_t topo_size) {
  const char* op = "topoloss";
  seg::check_dense(op, "input", input);
  LATHE_CHECK(input.shape()[1] == 2, "[", op, "] input must hold 2 classes, got ",
              input.shape());
  Shape pix = input.shape();
  pix.erase(1);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == pix, "[", op,
              "] target must be integer labels ", pix);
  LATHE_CHECK(w_cp.defined() == r_cp.defined(), "[", op,
              "] pass both maps w_cp and r_cp, or neither (computed on the host)");
  if (w_cp.defined()) {
    check_shape(op, "w_cp", w_cp, pix);
    check_shape(op, "r_cp", r_cp, pix);
  }
  if (target.numel() > 0) {
    double lo = min(target).item(), hi = max(target).item();
    LATHE_CHECK(lo >= 0 && hi <= 1, "[", op, "] labels must be 0 or 1, got values in [", lo,
                ", ", hi, "]");
  }
  Tensor ls = log_softmax(input, 1);                                        // [B, 2, ...]
  Tensor ce = -mean(gather(ls, unsqueeze(cast(target, DType::i64), 1), 1));
  Tensor p1 = squeeze(slice(exp(ls), 1, 1, 2), {1});                        // [B, ...]
  seg::CriticalMaps maps{w_cp, r_cp};
  if (!w_cp.defined())
    maps = seg::topoloss_critical_maps(p1, cast(target, p1.dtype()), topo_size);
  Tensor d = p1 * maps.weight.detach() - maps.ref.detach();
  return ce + lam * mean(d * d);
}

LATHE_REGISTER_OPS(topoloss) {
  registry.add(OpDef("topoloss", "segmentation")
                   .summary("CE plus MSE of the foreground probability at critical pixels")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("w_cp", Kind::floating, kOptional | kNoGrad)
                   .input("r_cp", Kind::floating, kOptional | kNoGrad)
                   .attr("lam", 100.0, "weight of the critical-pixel MSE")
                   .attr("topo_size", int64_t{50}, "patch side of the host-side persistence")
                   .own_reduction("CE mean plus lam times the MSE mean")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{topoloss(c.in("input"), c.in("target"), c.in("w_cp"),
                                             c.in("r_cp"), c.f("lam"), c.i("topo_size"))};
                   }));
}

}  // namespace lathe
