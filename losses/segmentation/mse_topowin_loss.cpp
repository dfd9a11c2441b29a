// mse_topowin_loss: TopoMortar's MSE-TopoWin (the MALIS-windows loss of "Deep learning for
// topology-preserving segmentation", IEEE 9409952), for predicted distance maps x [B, 1, H, W]
// (relu'd: x = relu(input)) and a binary target t [B, 1, H, W]:
//   c    = t w_fg + (1 - t) w_bg                                  (class weights)
//   mse  = sum c (x - min(edt(t), dmax))^2       edt: distance of each foreground pixel to the
//                                                 nearest background pixel (scipy's EDT)
//   topo = sum c (malis_lr x^2 W_n + malis_lr_pos (dmax - x)^2 W_p)
//   L    = alpha mse + topo
// The node weights W_n, W_p are computed on the host per whole window (window x window; the
// pixels beyond the last whole window get none): the 4-neighbour edges carry costs x_u + x_v
// (float32) and ground-truth costs t_u + t_v; the ground truth's foreground, eroded by
// `dilation` iterations of a cross (background dilated, border 0), is labelled into components;
// MALIS (Turaga et al.) runs Kruskal on the edges by decreasing cost and gives each merging edge
// the number of pixel pairs of different labels (negative term, costs clipped at dmax where the
// ground-truth cost exceeds dmax) or of one label (positive term, costs zeroed where the
// ground-truth cost is below dmin) that it joins; each term's weights are normalized to sum 1,
// the negative ones zeroed where the ground-truth cost >= dmin and the positive ones where it is
// < dmax, and each edge's weight is added to both its pixels.
// Paper: "TopoMortar: A dataset to evaluate image segmentation methods focused on topology
// accuracy" (benchmarks MSE-TopoWin) (catalog: segmentation.md; jmlipman/TopoMortar
// lib/losses.py MSETopoWinLoss, the malis package's malis_loss_weights).
// Defaults (the reference's): alpha 1e-3, malis_lr 1, malis_lr_pos 0.1, window 64, dmax 20,
// dmin 10, dilation 5, class weights 1.
// NOTE: with a binary target the ground-truth edge costs are 0, 1 or 2, so in the reference (and
// here) the clip at dmax never fires, every positive cost is zeroed and every positive weight is
// then masked: W_p = 0 and only the negative (split) term acts. Kruskal's order follows
// std::sort with the malis comparator (ties in the order libstdc++ gives, as the package built
// with g++); weights accumulate in float32 as the reference's arrays do. Not reproduced: scipy's
// EDT of an image without background (here: the clip, dmax). `dilation` is the reference's
// fixed 5, an attribute so that small windows can be tested.
// Gradients (autograd) through relu(input); the weights and the distance map are constants.
// Composite with host-side preprocessing; a scalar (own reduction).
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

#include "losses/segmentation/common.h"
#include "losses/segmentation/segmentation.h"
#include "ops/composite.h"

namespace lathe {
namespace {

// Components (4-connectivity, labels 1, 2, ...; 0 elsewhere) of the foreground of t [h, w]
// after `iters` dilations of its background by a cross (border 0: pixels outside are not
// background), i.e. label(binary_dilation(t == 0, iterations=iters) == 0).
std::vector<uint64_t> eroded_labels(const std::vector<double>& t, int64_t h, int64_t w,
                                    int64_t iters) {
  size_t n = t.size();
  std::vector<uint8_t> bg(n);
  for (size_t i = 0; i < n; ++i) bg[i] = t[i] == 0.0;
  for (int64_t it = 0; it < iters; ++it) {
    std::vector<uint8_t> next(bg);
    for (int64_t r = 0; r < h; ++r)
      for (int64_t c = 0; c < w; ++c) {
        if (bg[r * w + c]) continue;
        bool hit = (r > 0 && bg[(r - 1) * w + c]) || (r + 1 < h && bg[(r + 1) * w + c]) ||
                   (c > 0 && bg[r * w + c - 1]) || (c + 1 < w && bg[r * w + c + 1]);
        if (hit) next[r * w + c] = 1;
      }
    bg.swap(next);
  }
  std::vector<uint64_t> label(n, 0);
  uint64_t count = 0;
  std::vector<int64_t> stack;
  for (int64_t s = 0; s < h * w; ++s) {
    if (bg[s] || label[s]) continue;
    label[s] = ++count;
    stack.assign(1, s);
    while (!stack.empty()) {
      int64_t p = stack.back();
      stack.pop_back();
      int64_t r = p / w, c = p % w;
      int64_t nb[4] = {r > 0 ? p - w : -1, r + 1 < h ? p + w : -1, c > 0 ? p - 1 : -1,
                       c + 1 < w ? p + 1 : -1};
      for (int64_t q : nb)
        if (q >= 0 && !bg[q] && !label[q]) {
          label[q] = count;
          stack.push_back(q);
        }
    }
  }
  return label;
}

// The malis package's malis_loss_weights: Kruskal by decreasing cost; each merging edge counts
// the pixel pairs it joins with equal (pos) or different (!pos) nonzero labels.
std::vector<uint64_t> malis_weights(const std::vector<uint64_t>& seg,
                                    const std::vector<int64_t>& n1,
                                    const std::vector<int64_t>& n2,
                                    const std::vector<float>& cost, bool pos) {
  size_t nv = seg.size(), ne = cost.size();
  std::vector<size_t> parent(nv), rank(nv, 0);
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<std::map<uint64_t, uint64_t>> overlap(nv);
  for (size_t i = 0; i < nv; ++i)
    if (seg[i] != 0) overlap[i][seg[i]] = 1;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<int> order(ne);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](const int& a, const int& b) {
    return cost[static_cast<size_t>(a)] > cost[static_cast<size_t>(b)];
  });
  std::vector<uint64_t> pairs(ne, 0);
  for (int e : order) {
    size_t a = find(static_cast<size_t>(n1[e])), b = find(static_cast<size_t>(n2[e]));
    if (a == b) continue;
    for (const auto& [la, ca] : overlap[a])
      for (const auto& [lb, cb] : overlap[b])
        if ((la == lb) == pos) pairs[static_cast<size_t>(e)] += ca * cb;
    if (rank[a] < rank[b]) std::swap(a, b);
    parent[b] = a;
    if (rank[a] == rank[b]) ++rank[a];
    for (const auto& [l, c] : overlap[b]) overlap[a][l] += c;
    overlap[b].clear();
  }
  return pairs;
}

// The node weights W_n, W_p [B, 1, H, W] of MSE-TopoWin (see the opening comment).
std::pair<std::vector<float>, std::vector<float>> node_weights(
    const std::vector<double>& x, const std::vector<double>& t, int64_t b, int64_t h, int64_t w,
    const MseTopowinLossOptions& o) {
  int64_t win = o.window;
  std::vector<float> wn(static_cast<size_t>(b * h * w), 0.0f), wp(wn.size(), 0.0f);
  // the window's edges: horizontal (r, c)-(r, c+1) row-major, then vertical (r, c)-(r+1, c)
  std::vector<int64_t> n1, n2;
  for (int64_t r = 0; r < win; ++r)
    for (int64_t c = 0; c + 1 < win; ++c) {
      n1.push_back(r * win + c);
      n2.push_back(r * win + c + 1);
    }
  for (int64_t r = 0; r + 1 < win; ++r)
    for (int64_t c = 0; c < win; ++c) {
      n1.push_back(r * win + c);
      n2.push_back((r + 1) * win + c);
    }
  size_t ne = n1.size();
  std::vector<double> px(static_cast<size_t>(win * win)), pt(px.size());
  for (int64_t i = 0; i < b; ++i)
    for (int64_t k = 0; k < h / win; ++k)
      for (int64_t j = 0; j < w / win; ++j) {
        auto at = [&](int64_t p) { return (i * h + k * win + p / win) * w + j * win + p % win; };
        for (int64_t p = 0; p < win * win; ++p) {
          px[p] = x[at(p)];
          pt[p] = t[at(p)];
        }
        std::vector<float> cn(ne), cp(ne);
        std::vector<double> gt(ne);
        for (size_t e = 0; e < ne; ++e) {
          float cost = static_cast<float>(px[n1[e]] + px[n2[e]]);
          gt[e] = static_cast<float>(pt[n1[e]] + pt[n2[e]]);
          cn[e] = gt[e] > o.dmax ? static_cast<float>(o.dmax) : cost;
          cp[e] = gt[e] < o.dmin ? 0.0f : cost;
          gt[e] = std::min(gt[e], static_cast<double>(static_cast<float>(o.dmax)));
        }
        std::vector<uint64_t> seg = eroded_labels(pt, win, win, o.dilation);
        std::vector<uint64_t> pn = malis_weights(seg, n1, n2, cn, false);
        std::vector<uint64_t> pp = malis_weights(seg, n1, n2, cp, true);
        auto nodes = [&](const std::vector<uint64_t>& pairs, bool negative,
                         std::vector<float>& out) {
          double total = 0.0;
          for (uint64_t v : pairs) total += static_cast<double>(v);
          std::vector<double> ew(ne);
          for (size_t e = 0; e < ne; ++e) {
            ew[e] = total > 0 ? pairs[e] / total : static_cast<double>(pairs[e]);
            if (negative ? gt[e] >= o.dmin : gt[e] < o.dmax) ew[e] = 0.0;
          }
          // the reference adds, in float32: left and right ends of horizontal edges, then the
          // top and bottom ends of vertical ones
          std::vector<float> nw(static_cast<size_t>(win * win), 0.0f);
          size_t nh = static_cast<size_t>(win * (win - 1));
          for (int pass = 0; pass < 4; ++pass)
            for (size_t e = pass < 2 ? 0 : nh; e < (pass < 2 ? nh : ne); ++e) {
              int64_t node = pass % 2 == 0 ? n1[e] : n2[e];
              nw[node] = static_cast<float>(nw[node] + ew[e]);
            }
          for (int64_t p = 0; p < win * win; ++p) out[at(p)] = nw[p];
        };
        nodes(pn, true, wn);
        nodes(pp, false, wp);
      }
  return {wn, wp};
}

}  // namespace

Tensor mse_topowin_loss(const Tensor& input, const Tensor& target,
                        const MseTopowinLossOptions& o) {
  const char* op = "mse_topowin_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  LATHE_CHECK(input.dim() == 4 && input.shape()[1] == 1, "[", op,
              "] input must be distance maps [B, 1, H, W], got ", input.shape());
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(o.window >= 2 && o.dilation >= 0 && o.dmax > 0.0, "[", op,
              "] needs window >= 2, dilation >= 0 and dmax > 0; got ", o.window, ", ",
              o.dilation, ", ", o.dmax);
  int64_t b = input.shape()[0], h = input.shape()[2], w = input.shape()[3];
  Tensor x = relu(input);                                                  // [B, 1, H, W]
  Tensor t = target.detach();
  std::vector<double> xv, tv;
  {
    NoGradGuard no_grad;
    xv = cast(x.detach(), DType::f64).to_vector<double>();
    tv = cast(t, DType::f64).to_vector<double>();
  }
  for (double v : tv)
    LATHE_CHECK(v == 0.0 || v == 1.0, "[", op, "] target must be binary (0 or 1), got ", v);
  std::vector<double> dist(tv.size());
  for (int64_t i = 0; i < b; ++i) {
    std::vector<double> img(tv.begin() + i * h * w, tv.begin() + (i + 1) * h * w);
    std::vector<double> d = seg::distance_transform(img, {h, w});
    for (int64_t p = 0; p < h * w; ++p) dist[i * h * w + p] = std::min(d[p], o.dmax);
  }
  auto [wn, wp] = node_weights(xv, tv, b, h, w, o);
  auto constant = [&](const std::vector<double>& v) {
    return from_vector(v, input.shape(), input.dtype(), input.device());
  };
  Tensor d = constant(dist);
  Tensor tn = constant(std::vector<double>(wn.begin(), wn.end()));
  Tensor tp = constant(std::vector<double>(wp.begin(), wp.end()));
  Tensor c = t * o.weight_fg + (1.0 - t) * o.weight_bg;                    // [B, 1, H, W]
  Tensor mse = sum(c * (x - d) * (x - d));
  Tensor topo = sum(c * (o.malis_lr * x * x * tn +
                         o.malis_lr_pos * (o.dmax - x) * (o.dmax - x) * tp));
  return o.alpha * mse + topo;
}

LATHE_REGISTER_OPS(mse_topowin_loss) {
  using O = MseTopowinLossOptions;
  registry.add(OpDef("mse_topowin_loss", "segmentation")
                   .summary("distance-map MSE plus windowed MALIS split/merge terms")
                   .paper("TopoMortar: A dataset to evaluate image segmentation methods focused "
                          "on topology accuracy")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("alpha", &O::alpha, "weight of the distance-map MSE")
                   .attr("malis_lr", &O::malis_lr, "weight of the negative MALIS term")
                   .attr("malis_lr_pos", &O::malis_lr_pos, "weight of the positive MALIS term")
                   .attr("window", &O::window, "MALIS window side (whole windows only)")
                   .attr("dmax", &O::dmax, "distance clip")
                   .attr("dmin", &O::dmin, "lower ground-truth cost threshold")
                   .attr("dilation", &O::dilation, "background dilations before labelling")
                   .attr("weight_bg", &O::weight_bg, "class weight of background pixels")
                   .attr("weight_fg", &O::weight_fg, "class weight of foreground pixels")
                   .own_reduction("sums over pixels, as the reference")
                   .output("loss")
                   .run(mse_topowin_loss));
}

}  // namespace lathe
