// The segmentation family (losses/segmentation/): bad input names the op; values by hand
// (empty foreground, single class, perfect predictions, one-pixel structures, pooling windows
// that do not divide the image).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lathe.h"
#include "losses/segmentation/segmentation.h"
#include "losses/segmentation/topology.h"

using namespace lathe;

namespace {
Tensor f64(std::vector<double> v, Shape s) { return from_vector(v, s); }
SoftDiceLossOptions dice(const std::string& variant, Tensor weights = Tensor(),
                         std::vector<int64_t> idc = {}, double num_boxes = std::nan("")) {
  SoftDiceLossOptions o;
  o.variant = variant;
  o.class_weights = weights;
  o.idc = idc;
  o.num_boxes = num_boxes;
  return o;
}
SelfAdjustingDiceLossOptions sad(double alpha, double smooth, const std::string& variant) {
  SelfAdjustingDiceLossOptions o;
  o.alpha = alpha;
  o.smooth = smooth;
  o.variant = variant;
  return o;
}
}  // namespace

TEST_CASE("segmentation losses reject bad input, naming the op", "[unit][losses][errors]") {
  Tensor p = full({1, 2, 2, 2}, 0.5, DType::f64);
  Tensor bad = f64({0.5, 1.5, 0.2, 0.1, 0.5, -0.5, 0.3, 0.3}, {1, 2, 2, 2});
  Tensor other = zeros({1, 2, 2, 3}, DType::f64);
  CHECK_THROWS_WITH(soft_dice_loss(bad, p),
                    Catch::StartsWith("[soft_dice_loss] input must lie in [0, 1]"));
  CHECK_THROWS_WITH(soft_dice_loss(p, other), Catch::StartsWith("[soft_dice_loss]"));
  CHECK_THROWS_WITH(soft_dice_loss(p, p, dice("dice")),
                    Catch::StartsWith("[soft_dice_loss] variant must be"));
  CHECK_THROWS_WITH(soft_dice_loss(p, p, dice("detr")),
                    Catch::StartsWith("[soft_dice_loss] variant 'detr' needs num_boxes"));
  CHECK_THROWS_WITH(soft_dice_loss(p, p, dice("sfda", ones({2}, DType::f64))),
                    Catch::StartsWith("[soft_dice_loss] class_weights apply"));
  CHECK_THROWS_WITH(soft_dice_loss(p, p, dice("sfda", Tensor(), {2})),
                    Catch::StartsWith("[soft_dice_loss] idc holds class 2"));
  CHECK_THROWS_WITH(soft_dice_loss(p, p, dice("topomortar", ones({3}, DType::f64))),
                    Catch::StartsWith("[soft_dice_loss] class_weights must have shape"));
  CHECK_THROWS_WITH(ce_dice_loss(p, other), Catch::StartsWith("[ce_dice_loss]"));
  CHECK_THROWS_WITH(ce_dice_loss(zeros({2, 2}, DType::f64), zeros({2, 2}, DType::f64)),
                    Catch::StartsWith("[ce_dice_loss] input must be [B, C, spatial...]"));
  CHECK_THROWS_WITH(focal_tversky_loss(bad, p),
                    Catch::StartsWith("[focal_tversky_loss] input must lie in [0, 1]"));
  CHECK_THROWS_WITH(focal_tversky_loss(p, other), Catch::StartsWith("[focal_tversky_loss]"));
  Tensor prior = full({1, 2}, 0.5, DType::f64), w = ones({2}, DType::f64);
  CHECK_THROWS_WITH(sfda_adaent_loss(bad, prior, w),
                    Catch::StartsWith("[sfda_adaent_loss] input must lie in [0, 1]"));
  CHECK_THROWS_WITH(sfda_adaent_loss(p, full({1, 3}, 0.3, DType::f64), w),
                    Catch::StartsWith("[sfda_adaent_loss] prior must have shape"));
  Tensor z8 = zeros({8}, DType::f64);
  CHECK_THROWS_WITH(self_adjusting_dice_loss(z8, zeros({8}, DType::f64)),
                    Catch::StartsWith("[self_adjusting_dice_loss] target must hold integer"));
  CHECK_THROWS_WITH(self_adjusting_dice_loss(z8, full({8}, 2.0, DType::i64)),
                    Catch::StartsWith("[self_adjusting_dice_loss] labels must lie in [0, 2)"));
  CHECK_THROWS_WITH(self_adjusting_dice_loss(zeros({8, 3}, DType::f64), zeros({8, 3}, DType::i64),
                                             sad(0.0, 1e-4, "multiclass_code")),
                    Catch::StartsWith("[self_adjusting_dice_loss] multiclass_code needs"));
  SelfAdjustingDiceLossOptions sa;
  sa.mask = ones({7}, DType::f64);
  CHECK_THROWS_WITH(self_adjusting_dice_loss(z8, zeros({8}, DType::i64), sa),
                    Catch::StartsWith("[self_adjusting_dice_loss] mask must have shape"));
  sa.mask = Tensor();
  sa.reduction = "avg";
  CHECK_THROWS_WITH(self_adjusting_dice_loss(z8, zeros({8}, DType::i64), sa),
                    Catch::StartsWith("[self_adjusting_dice_loss]") &&
                        Catch::Contains("reduction"));
  CHECK_THROWS_WITH(cldice_loss(zeros({1, 2, 4}, DType::f64), zeros({1, 2, 4}, DType::f64)),
                    Catch::StartsWith("[cldice_loss] input must be [B, C, H, W]"));
  CHECK_THROWS_WITH(cldice_loss(p, other), Catch::StartsWith("[cldice_loss]"));
  CHECK_THROWS_WITH(cldice_loss(zeros({1, 1, 3, 3}, DType::f64), zeros({1, 1, 3, 3}, DType::f64)),
                    Catch::StartsWith("[cldice_loss] needs a background"));
  CHECK_THROWS_WITH(skeleton_recall_loss(p, other), Catch::StartsWith("[skeleton_recall_loss]"));
  CHECK_THROWS_WITH(soft_iou_loss(p, other), Catch::StartsWith("[soft_iou_loss]"));
  Tensor map = zeros({1, 2, 4, 4}, DType::f64);
  CHECK_THROWS_WITH(token_labeling_loss({p}, map, std::nan("")),
                    Catch::StartsWith("[token_labeling_loss] num_boxes must be > 0"));
  CHECK_THROWS_WITH(token_labeling_loss({zeros({1, 3, 2, 2}, DType::f64)}, map, 1.0),
                    Catch::StartsWith("[token_labeling_loss] token map"));
  CHECK_THROWS_WITH(warping_loss(p, p, zeros({1, 2, 2}, DType::f64)),
                    Catch::StartsWith("[warping_loss] critical must be a bool mask"));
  Tensor y = zeros({1, 2, 2}, DType::i64), wcp = zeros({1, 2, 2}, DType::f64);
  CHECK_THROWS_WITH(topoloss(p, full({1, 2, 2}, 2.0, DType::i64), wcp, wcp),
                    Catch::StartsWith("[topoloss] labels must be 0 or 1"));
  CHECK_THROWS_WITH(topoloss(p, y, zeros({1, 2, 3}, DType::f64), wcp),
                    Catch::StartsWith("[topoloss] w_cp must have shape"));
  CHECK_THROWS_WITH(region_wise_loss(p, other), Catch::StartsWith("[region_wise_loss]"));
  CHECK_THROWS_WITH(region_wise_loss(p, p, "avg"),
                    Catch::StartsWith("[region_wise_loss]") && Catch::Contains("reduction"));
  CHECK_THROWS_WITH(pirads_consistency_loss(p, other),
                    Catch::StartsWith("[pirads_consistency_loss]"));
  CHECK_THROWS_WITH(pirads_consistency_loss(p, p, {{3}}),
                    Catch::StartsWith("[pirads_consistency_loss] shared_classes holds class 3"));
}

TEST_CASE("soft_dice_loss by hand: each variant, empty foreground, perfect prediction",
          "[unit][losses]") {
  Tensor p = f64({0.5, 0.5}, {1, 1, 2}), g = f64({1.0, 0.0}, {1, 1, 2});
  CHECK(soft_dice_loss(p, g).item() == Approx(1.0 - (1.0 + 1e-10) / (2.0 + 1e-10)));
  SoftDiceLossOptions tm = dice("topomortar", f64({2.0}, {1}));
  CHECK(soft_dice_loss(p, g, tm).item() == Approx(-2.0 * (1.0 + 1e-5) / (2.0 + 1e-5)));
  SoftDiceLossOptions sb = dice("seabird");
  CHECK(soft_dice_loss(p, g, sb).item() == Approx(1.0 - 1.0 / (2.0 + 1e-5)));
  SoftDiceLossOptions detr = dice("detr", Tensor(), {}, 2.0);
  CHECK(soft_dice_loss(zeros({1, 2}, DType::f64), f64({1.0, 0.0}, {1, 2}), detr).item() ==
        Approx((1.0 - 2.0 / 3.0) / 2.0));
  // empty ground truth: sfda gives ~0 for an all-zero prediction and ~1 otherwise
  Tensor zero = zeros({1, 1, 2}, DType::f64);
  CHECK(soft_dice_loss(zero, zero).item() == Approx(0.0).margin(1e-15));
  CHECK(soft_dice_loss(p, zero).item() == Approx(1.0).epsilon(1e-9));
  // a perfect one-hot prediction with an absent class: topomortar gives exactly -1
  Tensor oh = f64({1, 1, 0, 0}, {1, 2, 2});
  CHECK(soft_dice_loss(oh, oh, dice("topomortar")).item() == Approx(-1.0));
}

TEST_CASE("ce_dice_loss and focal_tversky_loss by hand", "[unit][losses]") {
  // one class: softmax is 1, Dice -1, CE 0
  Tensor z = f64({0.3, -1.0, 2.0}, {1, 1, 3});
  CHECK(ce_dice_loss(z, ones({1, 1, 3}, DType::f64)).item() == Approx(-1.0));
  // two classes at logit 0: p = 1/2, CE = log 2 per target pixel, mean over 2 pixels per class
  Tensor z2 = zeros({1, 2, 2}, DType::f64), g2 = f64({1, 0, 0, 1}, {1, 2, 2});
  double dice = -(2 * 0.5 + 1e-5) / (1 + 1 + 1e-5);
  CHECK(ce_dice_loss(z2, g2).item() == Approx(dice + 2 * 0.5 * std::log(2.0)));
  // focal Tversky: TP = 0.5, FN = 0.5, FP = 0.5 -> TI = 1.5 / 2 = 0.75 with s = 1
  Tensor p = f64({0.5, 0.5}, {2}), g = f64({1.0, 0.0}, {2});
  CHECK(focal_tversky_loss(p, g).item() == Approx(std::pow(0.25, 0.75)));
  // a perfect prediction: 0 with a finite (zero) gradient, where the reference gives NaN
  Tensor q = f64({1.0, 0.0}, {2}).requires_grad_(true);
  Tensor l = focal_tversky_loss(q, g);
  l.backward();
  CHECK(l.item() == 0.0);
  std::vector<double> gq = q.grad().to_vector<double>();
  CHECK(gq[0] == 0.0);
  CHECK(gq[1] == 0.0);
}

TEST_CASE("soft_iou_loss and self_adjusting_dice_loss by hand", "[unit][losses]") {
  // p = 1/2 everywhere, g = [1, 0]: IoU = 0.5 / 1.5
  Tensor z = zeros({2, 1, 2}, DType::f64), g = f64({1, 0, 1, 0}, {2, 1, 2});
  CHECK(soft_iou_loss(z, g).item() == Approx(2.0 * (1.0 - 1.0 / 3.0)));
  // binary_set with alpha 0 is plain Dice: 1 - (2 * 0.5 + s) / (1 + 1 + s)
  Tensor zz = zeros({2}, DType::f64);
  Tensor y = from_vector(std::vector<int64_t>{1, 0}, {2});
  CHECK(self_adjusting_dice_loss(zz, y, sad(0.0, 1.0, "binary_set")).item() ==
        Approx(1.0 - 2.0 / 3.0));
  // alpha 1 halves p: q = 1/4; paper form per example: 1 - (0.5 + 1)/(1.25 + 1), 1 - 1/1.25
  double e0 = 1.0 - 1.5 / 2.25, e1 = 1.0 - 1.0 / 1.25;
  CHECK(self_adjusting_dice_loss(zz, y, sad(1.0, 1.0, "paper")).item() == Approx((e0 + e1) / 2));
}

TEST_CASE("soft_skeleton keeps one-pixel-wide lines, 2-D and 3-D", "[unit][losses]") {
  std::vector<double> img(25, 0.0);
  for (int j = 0; j < 5; ++j) img[static_cast<size_t>(10 + j)] = 1.0;  // row 2
  Tensor x = f64(img, {1, 1, 5, 5});
  CHECK(max(abs(soft_skeleton(x, 3) - x)).item() == 0.0);
  std::vector<double> vol(27, 0.0);
  for (int d = 0; d < 3; ++d) vol[static_cast<size_t>(d * 9 + 4)] = 1.0;  // a bar along D
  Tensor v = f64(vol, {1, 1, 3, 3, 3});
  CHECK(max(abs(soft_skeleton(v, 2) - v)).item() == 0.0);
  // a filled 3x3 square thins to its centre over the iterations
  Tensor sq = ones({1, 1, 3, 3}, DType::f64);
  Tensor s = soft_skeleton(pad(sq, {1, 1, 1, 1}), 3);                       // [1, 1, 5, 5]
  CHECK(s.to_vector<double>()[12] == 1.0);
  CHECK(sum(s).item() == Approx(1.0));
}

TEST_CASE("adaptive_avg_pool2d windows that do not divide the input", "[unit][losses]") {
  Tensor x = f64({1, 2, 3, 4, 5}, {1, 1, 1, 5});
  // windows [0, 3) and [2, 5): means 2 and 4; a larger output repeats inputs
  std::vector<double> down = adaptive_avg_pool2d(x, 1, 2).to_vector<double>();
  CHECK(down[0] == Approx(2.0).epsilon(1e-15));
  CHECK(down[1] == Approx(4.0).epsilon(1e-15));
  Tensor up = adaptive_avg_pool2d(f64({1, 3}, {1, 2}), 1, 3);
  CHECK(up.to_vector<double>() == std::vector<double>{1.0, 2.0, 3.0});
}

TEST_CASE("topoloss critical maps match the reference procedure run with python3-gudhi",
          "[unit][losses]") {
  if (!seg::have_gudhi()) {
    std::puts("LATHE_TEST_SKIPPED: built without GUDHI (libgudhi-dev)");
    return;
  }
  // four blobs (0.95 joined to 0.9, 0.85, 0.75, 0.6) on a background of distinct values; the
  // ground truth has 3 components, so the 2 most persistent of the 3 finite pairs are fixed and
  // the third removed. Expected values: TopoMortar's procedure with gudhi 3.7.1's Python module.
  std::vector<double> lh = {0.165, 0.212, 0.087, 0.153, 0.268, 0.269, 0.038, 0.95,  0.9,
                            0.132, 0.85,  0.137, 0.195, 0.084, 0.203, 0.177, 0.007, 0.168,
                            0.078, 0.125, 0.085, 0.208, 0.132, 0.047, 0.163, 0.75,  0.092,
                            0.067, 0.6,   0.281, 0.293, 0.202, 0.271, 0.254, 0.113, 0.028};
  std::vector<double> gt(36, 0.0);
  for (int i : {7, 8, 10, 28}) gt[static_cast<size_t>(i)] = 1.0;
  auto pairs = seg::sublevel_pairs_dim0(
      [&] { std::vector<double> f(lh); for (double& v : f) v = 1.0 - v; return f; }(), {6, 6});
  std::vector<std::pair<int64_t, int64_t>> want = {{28, 33}, {25, 14}, {10, 15}};
  std::sort(pairs.begin(), pairs.end());
  std::sort(want.begin(), want.end());
  CHECK(pairs == want);
  seg::CriticalMaps m = seg::topoloss_critical_maps(f64(lh, {1, 6, 6}), f64(gt, {1, 6, 6}), 50);
  std::vector<double> w = m.weight.to_vector<double>(), r = m.ref.to_vector<double>();
  std::vector<double> w_want(36, 0.0), r_want(36, 0.0);
  std::vector<std::pair<int, double>> crit = {{10, 0.0}, {14, 1.0}, {15, 1.0},
                                              {25, 0.0}, {28, 0.254}, {33, 0.6}};
  for (auto [i, v] : crit) {
    w_want[static_cast<size_t>(i)] = 1.0;
    r_want[static_cast<size_t>(i)] = v;
  }
  CHECK(w == w_want);
  CHECK(r == r_want);
  // the op computes the same maps itself when none are passed
  std::vector<double> logits(72, 0.0);   // softmax(z, 1)[:, 1] = lh
  for (size_t i = 0; i < 36; ++i) logits[36 + i] = std::log(lh[i] / (1.0 - lh[i]));
  Tensor z = f64(logits, {1, 2, 6, 6});
  Tensor y = cast(f64(gt, {1, 6, 6}), DType::i64);
  CHECK(topoloss(z, y).item() ==
        Approx(topoloss(z, y, m.weight, m.ref).item()).epsilon(1e-12));
  // an image that one patch side does not divide: 3x3 patches of a 6x5 image run without error
  // and mark only pixels inside the image
  seg::CriticalMaps small = seg::topoloss_critical_maps(
      slice(f64(lh, {1, 6, 6}), 2, 0, 5), slice(f64(gt, {1, 6, 6}), 2, 0, 5), 3);
  CHECK(small.weight.shape() == Shape{1, 6, 5});
}

TEST_CASE("topoloss critical maps in 3-D match the reference procedure run with python3-gudhi",
          "[unit][losses]") {
  if (!seg::have_gudhi()) {
    std::puts("LATHE_TEST_SKIPPED: built without GUDHI (libgudhi-dev)");
    return;
  }
  // a 4x4x4 volume: blobs 0.95, 0.8, 0.7, 0.5 in four corners over a random background (one of
  // its local maxima persists 0.047 > 0.03 and is removed too); the ground truth has 2 voxels,
  // so one pair is fixed. Expected values from gudhi 3.7.1's Python module, as above.
  std::vector<double> lh = {
      0.95,  0.234, 0.132, 0.217, 0.293, 0.162, 0.15,  0.022, 0.081, 0.15,  0.204, 0.241, 0.114,
      0.02,  0.086, 0.8,   0.064, 0.136, 0.279, 0.007, 0.18,  0.285, 0.069, 0.165, 0.273, 0.04,
      0.157, 0.225, 0.201, 0.14,  0.061, 0.147, 0.112, 0.143, 0.11,  0.251, 0.231, 0.094, 0.172,
      0.083, 0.136, 0.106, 0.197, 0.111, 0.138, 0.216, 0.124, 0.272, 0.054, 0.222, 0.127, 0.7,
      0.19,  0.157, 0.124, 0.0,   0.028, 0.213, 0.157, 0.209, 0.5,   0.205, 0.016, 0.093};
  std::vector<double> gt(64, 0.0);
  gt[0] = gt[15] = 1.0;
  seg::CriticalMaps m = seg::topoloss_critical_maps(f64(lh, {1, 4, 4, 4}), f64(gt, {1, 4, 4, 4}),
                                                    50);
  std::vector<double> w = m.weight.to_vector<double>(), r = m.ref.to_vector<double>();
  std::vector<double> w_want(64, 0.0), r_want(64, 0.0);
  std::vector<std::pair<int, double>> crit = {{10, 1.0},  {15, 0.0},   {27, 0.272}, {35, 0.7},
                                              {45, 0.5},  {47, 0.225}, {51, 0.251}, {60, 0.216}};
  for (auto [i, v] : crit) {
    w_want[static_cast<size_t>(i)] = 1.0;
    r_want[static_cast<size_t>(i)] = v;
  }
  CHECK(w == w_want);
  CHECK(r == r_want);
}

TEST_CASE("mse_topowin_loss by hand: one MALIS split edge in a 2x2 window", "[unit][losses]") {
  // t = [[1, 0], [0, 1]]: two one-pixel components (4-connectivity); x = [[1, 4], [3, 0.5]]
  // gives edge costs 5 (top), 3.5 (bottom), 4 (left), 4.5 (right). Kruskal by decreasing
  // cost: top joins nothing labelled, right joins label 1 to label 2 (1 pair), so W_n is 1 at
  // (0, 1) and (1, 1). topo = 4^2 + 0.5^2; the distance map is t itself (1 pixel from
  // background): mse = 0 + 16 + 9 + 0.25.
  Tensor x = f64({1.0, 4.0, 3.0, 0.5}, {1, 1, 2, 2}), t = f64({1, 0, 0, 1}, {1, 1, 2, 2});
  MseTopowinLossOptions o;
  o.window = 2;
  o.dilation = 0;
  CHECK(mse_topowin_loss(x, t, o).item() == Approx(1e-3 * 25.25 + 16.25).epsilon(1e-12));
  o.malis_lr = 0.0;
  CHECK(mse_topowin_loss(x, t, o).item() == Approx(1e-3 * 25.25).epsilon(1e-12));
  CHECK_THROWS_WITH(mse_topowin_loss(x, f64({1, 0.5, 0, 1}, {1, 1, 2, 2}), o),
                    Catch::StartsWith("[mse_topowin_loss] target must be binary"));
  CHECK_THROWS_WITH(mse_topowin_loss(zeros({1, 2, 2, 2}, DType::f64), zeros({1, 2, 2, 2},
                                                                           DType::f64)),
                    Catch::StartsWith("[mse_topowin_loss] input must be distance maps"));
}

TEST_CASE("cbdice_loss rejects bad input, and its skeletons keep one-pixel lines",
          "[unit][losses]") {
  Tensor z = zeros({1, 2, 4, 4}, DType::f64);
  CHECK_THROWS_WITH(cbdice_loss(z, zeros({1, 2, 4, 5}, DType::f64)),
                    Catch::StartsWith("[cbdice_loss]"));
  CHECK_THROWS_WITH(cbdice_loss(zeros({1, 2, 2, 4}, DType::f64), zeros({1, 2, 2, 4}, DType::f64)),
                    Catch::StartsWith("[cbdice_loss] spatial sizes must be >= 3"));
  CHECK_THROWS_WITH(cbdice_loss(zeros({1, 1, 4, 4}, DType::f64), zeros({1, 1, 4, 4}, DType::f64)),
                    Catch::StartsWith("[cbdice_loss] needs a background"));
  // a perfect, confident prediction of a one-pixel-wide line: its skeleton is itself, so the
  // weighted precision and sensitivity are 1 (cb = -1), Dice is about -1 and CE about 0
  std::vector<double> line(25, 0.0), logits(50, 0.0);
  for (int c = 0; c < 5; ++c) line[static_cast<size_t>(10 + c)] = 1.0;
  std::vector<double> onehot(50, 0.0);
  for (size_t i = 0; i < 25; ++i) {
    onehot[i] = 1.0 - line[i];
    onehot[25 + i] = line[i];
    logits[i] = line[i] > 0 ? -20.0 : 20.0;
    logits[25 + i] = -logits[i];
  }
  double l = cbdice_loss(f64(logits, {1, 2, 5, 5}), f64(onehot, {1, 2, 5, 5})).item();
  CHECK(l == Approx(0.25 * -1.0 + 0.25 * -1.0).margin(1e-6));
}
