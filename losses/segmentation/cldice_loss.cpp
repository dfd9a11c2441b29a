// cldice_loss: (1 - alpha) negative Dice + alpha clDice of logits z [B, C, H, W] or
// [B, C, D, H, W] against a one-hot target g of the same shape, P = softmax(z, 1):
//   soft skeleton (the official clDice soft_skel):
//     erode(x)  = min over axes a of -maxpool(-x, 3 along a, stride 1, pad 1 along a)
//     dilate(x) = maxpool(x, 3 in every spatial axis, stride 1, pad 1),  open = dilate o erode
//     skel = relu(x - open(x)); iters times: x = erode(x), d = relu(x - open(x)),
//            skel = skel + relu(d - skel d)
//   on the foreground channels k >= 1 (sums over batch, channels and space):
//     tprec = (sum skel(P) g + s) / (sum skel(P) + s),  tsens = (sum skel(g) P + s) /
//     (sum skel(g) + s),  cl = 1 - 2 tprec tsens / (tprec + tsens)
//   dice = -mean_{b,c} (2 sum PG + 1e-5) / max(sum G + sum P + 1e-5, 1e-8)
//   L = (1 - alpha) dice + alpha cl
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks clDice; Shit et al., "clDice - a Novel Topology-Preserving Loss
// Function for Tubular Structure Segmentation") (catalog: segmentation.md; jmlipman/TopoMortar
// lib/losses_cldice.py, whose soft skeleton is jocpae/clDice's soft_skeleton.py).
// Defaults: iters 3, alpha 0.5, s 1.
// NOTE: 3-D pools are written as 2-D pools over reshaped views (lathe has no max_pool3d): the
// (3,1,1), (1,3,1), (1,1,3) pools exactly, and the 3x3x3 dilation as the three of them in turn,
// which equals max_pool3d in value; with tied maxima inside a window the gradient may go to
// another of the tied elements than max_pool3d's (gradcheck uses distinct values).
// Gradients (autograd): through max-pool (to the arg-max), min and relu; skel(g) is a constant.
// Composite; a scalar (own reduction).
#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"
#include "ops/nn/conv.h"

namespace lathe {
namespace {

// Max pool with a window of 3 along one spatial axis (stride 1, padding 1, -inf padded) of
// x [B, C, spatial...] with 2 or 3 spatial axes; axis counts from the first spatial axis.
Tensor pool_axis(const Tensor& x, int axis) {
  const Shape& s = x.shape();
  MaxPoolOptions o;
  o.stride = {1, 1};
  bool last = axis == static_cast<int>(s.size()) - 3;
  o.kernel_size = last ? std::vector<int64_t>{1, 3} : std::vector<int64_t>{3, 1};
  o.padding = last ? std::vector<int64_t>{0, 1} : std::vector<int64_t>{1, 0};
  if (s.size() == 4) return max_pool2d(x, o).y;
  // [B, C, D, H, W]: pool D as rows of [B, C, D, H W]; H and W as rows/cols of [B, C D, H, W]
  Tensor v = axis == 0 ? reshape(x, {s[0], s[1], s[2], s[3] * s[4]})
                       : reshape(x, {s[0], s[1] * s[2], s[3], s[4]});
  return reshape(max_pool2d(v, o).y, s);
}

Tensor erode(const Tensor& x) {
  int n = static_cast<int>(x.dim()) - 2;
  Tensor y = -pool_axis(-x, 0);
  for (int a = 1; a < n; ++a) y = minimum(y, -pool_axis(-x, a));
  return y;
}

Tensor dilate(const Tensor& x) {
  if (x.dim() == 4) {
    MaxPoolOptions o;
    o.kernel_size = {3, 3};
    o.stride = {1, 1};
    o.padding = {1, 1};
    return max_pool2d(x, o).y;
  }
  return pool_axis(pool_axis(pool_axis(x, 2), 1), 0);
}

Tensor open(const Tensor& x) { return dilate(erode(x)); }

}  // namespace

Tensor soft_skeleton(const Tensor& x, int64_t iters) {
  LATHE_CHECK(x.dim() == 4 || x.dim() == 5, "[soft_skeleton] expected [B, C, H, W] or "
              "[B, C, D, H, W], got ", x.shape());
  LATHE_CHECK(iters >= 0, "[soft_skeleton] iters must be >= 0, got ", iters);
  Tensor img = x;
  Tensor skel = relu(img - open(img));
  for (int64_t i = 0; i < iters; ++i) {
    img = erode(img);
    Tensor d = relu(img - open(img));
    skel = skel + relu(d - skel * d);
  }
  return skel;
}

Tensor cldice_loss(const Tensor& input, const Tensor& target, const ClDiceLossOptions& o) {
  const char* op = "cldice_loss";
  check_floating(op, "input", input);
  LATHE_CHECK(input.dim() == 4 || input.dim() == 5, "[", op,
              "] input must be [B, C, H, W] or [B, C, D, H, W], got ", input.shape());
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.shape()[1] >= 2, "[", op,
              "] needs a background and at least one foreground class, got C = ",
              input.shape()[1]);
  LATHE_CHECK(o.iters >= 0 && o.smooth > 0.0, "[", op, "] needs iters >= 0 and smooth > 0, got ",
              o.iters, " and ", o.smooth);
  Tensor p = softmax(input, 1);
  Tensor g = target.detach();
  Tensor dice = seg::negative_dice(p, g);
  Tensor sp = slice(soft_skeleton(p, o.iters), 1, 1);                     // [B, C-1, ...]
  Tensor sg;
  {
    NoGradGuard no_grad;
    sg = slice(soft_skeleton(g, o.iters), 1, 1);
  }
  Tensor pf = slice(p, 1, 1), gf = slice(g, 1, 1);
  Tensor tprec = (sum(sp * gf) + o.smooth) / (sum(sp) + o.smooth);
  Tensor tsens = (sum(sg * pf) + o.smooth) / (sum(sg) + o.smooth);
  Tensor cl = 1.0 - 2.0 * tprec * tsens / (tprec + tsens);
  return (1.0 - o.alpha) * dice + o.alpha * cl;
}

LATHE_REGISTER_OPS(cldice_loss) {
  using O = ClDiceLossOptions;
  registry.add(OpDef("cldice_loss", "segmentation")
                   .summary("negative soft Dice plus clDice on soft skeletons (2-D and 3-D)")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("iters", &O::iters, "soft-skeleton iterations")
                   .attr("alpha", &O::alpha, "weight of clDice against Dice")
                   .attr("smooth", &O::smooth, "smoothing of tprec and tsens")
                   .own_reduction("one scalar: a Dice mean and set-level clDice")
                   .output("loss")
                   .run(cldice_loss));
}

}  // namespace lathe
