// cbdice_loss: TopoMortar's cbDice loss (clCE/cbDice benchmark) of logits z [B, C, H, W] or
// [B, C, D, H, W] and a one-hot target g of the same shape:
//   p = softmax(z, 1);  ce = sum_c w_c mean(-g log(p + 1e-15));  dice = TopoMortar's negative
//   Dice (ce_dice_loss's terms)
//   y = softmax([z_0, max_{c >= 1} z_c])_1   (foreground probability), t = [argmax_c g > 0]
//   on the host, without gradient: S_p = skel(y > 0.5), S_t = skel(t), the topology-preserving
//   skeletons of Menten et al. (8 subfields per iteration; a point is deleted when it is not an
//   end point (<= 1 of 26 neighbours) and deleting it keeps the Euler characteristic of the
//   background in its 3x3x3 neighbourhood); distance weights per image (get_weights): with
//   the distance map E of the mask, R = max(1, max E on the skeleton), E' = min(E, R) / R,
//   r = E / R on the skeleton, I = (1 + 1e-7) / (r + 1e-7) (2-D; r^2 in 3-D) on the skeleton:
//     q_vl = E'_t t, q_slvl = r_t t, q_sl = I_t S_t                          (constants)
//     q_vp = E'_p y, q_spvp = r_p y, q_sp = I_p S_p y                        (through y)
//   tprec = (sum q_sp q_vl + s) / (sum comb(q_spvp, q_slvl, q_sp) + s)
//   tsens = (sum q_sl q_vp + s) / (sum comb(q_slvl, q_spvp, q_sl) + s)
//   comb(A, B, C) = A C where A != 0 and B == 0, B C elsewhere
//   cb = -2 tprec tsens / (tprec + tsens)
//   L  = 0.5 ce + alpha / (2 (alpha + beta)) dice + beta / (2 (alpha + beta)) cb
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks cbDice; Shi et al., "Centerline Boundary Dice Loss for Vascular
// Segmentation"; Menten et al., "A skeletonization algorithm for gradient-based optimization")
// (catalog: segmentation.md; jmlipman/TopoMortar lib/losses.py cbDiceLoss, lib/losses_cbdice.py
// Skeletonize(probabilistic=False, simple_point_detection='EulerCharacteristic'), get_weights,
// combine_tensors).
// Defaults: alpha = beta = 1, s = 1, 5 skeletonization iterations, no class weights.
// NOTE: the skeletons are computed exactly on binary images (the reference's convolutions
// count the same vertices, edges, faces and octants); the reference's distance weights are
// float32 tensors, lathe's are in the input dtype. Like the reference, spatial sizes of 1 or 2
// are refused (the skeletonization needs 3x3x3 neighbourhoods).
// Gradients (autograd) through p and y; the skeletons, distance maps and masks are constants.
// The max over foreground logits shares its gradient on ties (PyTorch picks one). Composite with
// host-side preprocessing; a scalar (own reduction).
#include <algorithm>
#include <array>
#include <vector>

#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {
namespace {

// The Euler characteristic of the background (value 0) cells of a 3x3x3 binary block, counted
// as vertices - edges + faces - octants of background voxels.
int euler_background(const std::array<uint8_t, 27>& v) {
  auto bg = [&](int a, int b, int c) { return v[static_cast<size_t>((a * 3 + b) * 3 + c)] == 0; };
  int vert = 0, edge = 0, face = 0, oct = 0;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 3; ++c) {
        vert += bg(a, b, c);
        if (a < 2) edge += bg(a, b, c) && bg(a + 1, b, c);
        if (b < 2) edge += bg(a, b, c) && bg(a, b + 1, c);
        if (c < 2) edge += bg(a, b, c) && bg(a, b, c + 1);
        if (b < 2 && c < 2)
          face += bg(a, b, c) && bg(a, b + 1, c) && bg(a, b, c + 1) && bg(a, b + 1, c + 1);
        if (a < 2 && c < 2)
          face += bg(a, b, c) && bg(a + 1, b, c) && bg(a, b, c + 1) && bg(a + 1, b, c + 1);
        if (a < 2 && b < 2)
          face += bg(a, b, c) && bg(a + 1, b, c) && bg(a, b + 1, c) && bg(a + 1, b + 1, c);
        if (a < 2 && b < 2 && c < 2) {
          bool all = true;
          for (int i = 0; i < 8; ++i)
            all = all && bg(a + (i >> 2), b + ((i >> 1) & 1), c + (i & 1));
          oct += all;
        }
      }
  return vert - edge + face - oct;
}

// Menten et al.'s skeleton of a binary volume [d, h, w] (d = 1 for an image), as the reference's
// Skeletonize forward: zero padding, `iters` iterations of an end-point map followed by the
// eight subfields in the reference's order.
std::vector<uint8_t> skeletonize(const std::vector<uint8_t>& img, int64_t d, int64_t h,
                                 int64_t w, int64_t iters) {
  int64_t D = d + 2, H = h + 2, W = w + 2;
  std::vector<uint8_t> p(static_cast<size_t>(D * H * W), 0);
  auto idx = [&](int64_t i, int64_t j, int64_t k) {
    return static_cast<size_t>((i * H + j) * W + k);
  };
  auto flat = [&](int64_t i, int64_t j, int64_t k) {
    return static_cast<size_t>((i * h + j) * w + k);
  };
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j < h; ++j)
      for (int64_t k = 0; k < w; ++k) p[idx(i + 1, j + 1, k + 1)] = img[flat(i, j, k)];
  auto at = [&](int64_t i, int64_t j, int64_t k) -> uint8_t {
    return i < 0 || j < 0 || k < 0 || i >= D || j >= H || k >= W ? 0 : p[idx(i, j, k)];
  };
  const int off[8][3] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0},
                         {0, 0, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 1}};
  std::vector<uint8_t> endpoint(p.size());
  for (int64_t it = 0; it < iters; ++it) {
    for (int64_t i = 0; i < D; ++i)
      for (int64_t j = 0; j < H; ++j)
        for (int64_t k = 0; k < W; ++k) {
          int n = 0;
          for (int a = -1; a <= 1; ++a)
            for (int b = -1; b <= 1; ++b)
              for (int c = -1; c <= 1; ++c)
                if (a || b || c) n += at(i + a, j + b, k + c);
          endpoint[idx(i, j, k)] = n <= 1;
        }
    for (const auto& o : off)
      for (int64_t i = o[0]; i < D; i += 2)
        for (int64_t j = o[1]; j < H; j += 2)
          for (int64_t k = o[2]; k < W; k += 2) {
            if (!p[idx(i, j, k)] || endpoint[idx(i, j, k)]) continue;
            std::array<uint8_t, 27> v;
            for (int a = 0; a < 3; ++a)
              for (int b = 0; b < 3; ++b)
                for (int c = 0; c < 3; ++c)
                  v[static_cast<size_t>((a * 3 + b) * 3 + c)] =
                      at(i + a - 1, j + b - 1, k + c - 1);
            int before = euler_background(v);
            v[13] = 0;
            if (euler_background(v) == before) p[idx(i, j, k)] = 0;
          }
  }
  std::vector<uint8_t> out(img.size());
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j < h; ++j)
      for (int64_t k = 0; k < w; ++k) out[flat(i, j, k)] = p[idx(i + 1, j + 1, k + 1)];
  return out;
}

struct Weights {
  std::vector<double> dist;    // E' on the mask (0 off it)
  std::vector<double> radius;  // r on the skeleton
  std::vector<double> inv;     // I on the skeleton
};

// get_weights of one image's binary mask and skeleton (`dims` its spatial shape).
Weights weights(const std::vector<uint8_t>& mask, const std::vector<uint8_t>& skel,
                const std::vector<int64_t>& dims) {
  std::vector<double> m(mask.begin(), mask.end());
  std::vector<double> e = seg::distance_transform(m, dims);
  size_t n = m.size();
  double r_max = 1.0;
  for (size_t i = 0; i < n; ++i) {
    if (!mask[i]) e[i] = 0.0;
    if (skel[i]) r_max = std::max(r_max, e[i]);
  }
  Weights out{std::vector<double>(n), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (size_t i = 0; i < n; ++i) {
    out.dist[i] = std::min(e[i], r_max) / r_max;
    if (!skel[i]) continue;
    out.radius[i] = e[i] / r_max;
    double r = dims.size() == 2 ? out.radius[i] : out.radius[i] * out.radius[i];
    out.inv[i] = (1.0 + 1e-7) / (r + 1e-7);
  }
  return out;
}

}  // namespace

Tensor cbdice_loss(const Tensor& input, const Tensor& target, const CbDiceLossOptions& o) {
  const char* op = "cbdice_loss";
  check_floating(op, "input", input);
  LATHE_CHECK(input.dim() == 4 || input.dim() == 5, "[", op,
              "] input must be [B, C, H, W] or [B, C, D, H, W], got ", input.shape());
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  int64_t b = input.shape()[0], c = input.shape()[1];
  LATHE_CHECK(c >= 2, "[", op, "] needs a background and at least one foreground class, got C = ",
              c);
  std::vector<int64_t> dims(input.shape().begin() + 2, input.shape().end());
  for (int64_t s : dims)
    LATHE_CHECK(s >= 3, "[", op, "] spatial sizes must be >= 3 (3x3x3 neighbourhoods), got ",
                input.shape());
  if (o.weight.defined()) check_shape(op, "weight", o.weight, {c});
  LATHE_CHECK(o.alpha + o.beta > 0.0 && o.iters >= 0, "[", op,
              "] needs alpha + beta > 0 and iters >= 0");
  Tensor g = target.detach();
  Tensor p = softmax(input, 1);                                            // [B, C, ...]
  Tensor dice = seg::negative_dice(p, g, o.weight);
  Axes other = seg::spatial_axes(input);
  other.insert(other.begin(), 0);
  Tensor ce = mean(-g * log(p + 1e-15), other);                            // [C]
  if (o.weight.defined()) ce = o.weight.detach() * ce;
  // foreground probability of the binarized prediction
  Tensor fore = max(slice(input, 1, 1), {1}, true);                        // [B, 1, ...]
  Tensor y = squeeze(slice(softmax(concat({slice(input, 1, 0, 1), fore}, 1), 1), 1, 1), {1});
  // host side: masks, skeletons, distance weights
  int64_t per = 1;
  for (int64_t s : dims) per *= s;
  int64_t d = dims.size() == 3 ? dims[0] : 1, h = dims[dims.size() - 2], w = dims.back();
  std::vector<double> yv, tv;
  {
    NoGradGuard no_grad;
    yv = cast(y.detach(), DType::f64).to_vector<double>();
    tv = cast(gt(argmax(g, 1), 0), DType::f64).to_vector<double>();
  }
  size_t n = yv.size();
  std::vector<double> vl(n), slvl(n), sl(n), vp(n), spvp(n), sp(n);
  for (int64_t i = 0; i < b; ++i) {
    std::vector<uint8_t> mt(static_cast<size_t>(per)), mp(mt.size());
    for (int64_t k = 0; k < per; ++k) {
      mt[k] = tv[i * per + k] > 0.5;
      mp[k] = yv[i * per + k] > 0.5;
    }
    std::vector<uint8_t> st = skeletonize(mt, d, h, w, o.iters);
    std::vector<uint8_t> spk = skeletonize(mp, d, h, w, o.iters);
    Weights wt = weights(mt, st, dims), wpw = weights(mp, spk, dims);
    for (int64_t k = 0; k < per; ++k) {
      size_t q = static_cast<size_t>(i * per + k);
      vl[q] = wt.dist[k] * mt[k];
      slvl[q] = wt.radius[k] * mt[k];
      sl[q] = wt.inv[k] * st[k];
      vp[q] = wpw.dist[k];         // times y
      spvp[q] = wpw.radius[k];     // times y
      sp[q] = wpw.inv[k] * spk[k]; // times S_p y
    }
  }
  Shape ys = y.shape();
  auto constant = [&](const std::vector<double>& v) {
    return from_vector(v, ys, input.dtype(), input.device());
  };
  Tensor q_vl = constant(vl), q_slvl = constant(slvl), q_sl = constant(sl);
  Tensor q_vp = constant(vp) * y, q_spvp = constant(spvp) * y, q_sp = constant(sp) * y;
  // comb(A, B, C): A C where A != 0 and B == 0, else B C; A != 0 follows the constant factors
  // (y > 0 for finite logits)
  auto comb = [&](const Tensor& a, const std::vector<double>& a_nz, const Tensor& bb,
                  const std::vector<double>& b_nz, const Tensor& cc) {
    std::vector<bool> pick(n);
    for (size_t q = 0; q < n; ++q) pick[q] = a_nz[q] != 0.0 && b_nz[q] == 0.0;
    Tensor m = from_vector(pick, ys, input.device());
    return where(m, a * cc, bb * cc);
  };
  Tensor tprec = (sum(q_sp * q_vl) + o.smooth) /
                 (sum(comb(q_spvp, spvp, q_slvl, slvl, q_sp)) + o.smooth);
  Tensor tsens = (sum(q_sl * q_vp) + o.smooth) /
                 (sum(comb(q_slvl, slvl, q_spvp, spvp, q_sl)) + o.smooth);
  Tensor cb = -2.0 * tprec * tsens / (tprec + tsens);
  double k = 2.0 * (o.alpha + o.beta);
  return 0.5 * sum(ce) + o.alpha / k * dice + o.beta / k * cb;
}

LATHE_REGISTER_OPS(cbdice_loss) {
  using O = CbDiceLossOptions;
  registry.add(OpDef("cbdice_loss", "segmentation")
                   .summary("CE + Dice + centerline-boundary Dice on host-side skeletons")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<O>()
                   .input("weight", &O::weight, Kind::floating, kOptional | kNoGrad)
                   .attr("alpha", &O::alpha, "weight of the Dice term")
                   .attr("beta", &O::beta, "weight of the cbDice term")
                   .attr("smooth", &O::smooth, "smoothing of tprec and tsens")
                   .attr("iters", &O::iters, "skeletonization iterations")
                   .own_reduction("one scalar: CE and Dice means plus set-level cbDice")
                   .output("loss")
                   .run(cbdice_loss));
}

}  // namespace lathe
