// The segmentation family of the loss catalog (catalog: segmentation.md): overlap losses (Dice,
// IoU, Tversky and their variants), topology-aware losses and segmentation domain adaptation,
// each defined in losses/segmentation/<name>.cpp. Inputs are [B, C, spatial...] maps of logits
// or probabilities (each op says which); host-side preprocessing (skeletons of the ground truth,
// critical-pixel maps, distance maps) arrives as constant tensors.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

struct SoftDiceLossOptions {
  Tensor class_weights;              // [C], variant 'topomortar' only (ones when absent)
  std::string variant = "sfda";      // sfda | topomortar | seabird | detr
  std::vector<int64_t> idc;          // variant 'sfda': the classes kept (empty: all)
  double num_boxes = std::numeric_limits<double>::quiet_NaN();  // variant 'detr', required
};

// Soft Dice of predictions [B, C, spatial...] (probabilities; logits for 'detr', which flattens
// every row n of [N, ...] into one mask) against targets of the same shape, one of the four
// published forms named by `variant` (losses/segmentation/soft_dice_loss.cpp).
Tensor soft_dice_loss(const Tensor& input, const Tensor& target,
                      const SoftDiceLossOptions& options = {});

struct CeDiceLossOptions {
  Tensor weight;          // [C] class weights of both terms (ones when absent)
  double lam_dice = 1.0;  // weight of the (negative) Dice term
  double lam_ce = 1.0;    // weight of the cross-entropy term
};

// TopoMortar's CEDiceLoss of logits [B, C, spatial...] (softmax over C inside) and a one-hot or
// soft target of the same shape: lam_dice * negative Dice + lam_ce * sum_k w_k mean(-g log(p +
// 1e-15)) (losses/segmentation/ce_dice_loss.cpp).
Tensor ce_dice_loss(const Tensor& input, const Tensor& target,
                    const CeDiceLossOptions& options = {});

struct SelfAdjustingDiceLossOptions {
  double alpha = 0.0;                 // exponent of the self-adjusting factor (1 - p)^alpha
  double smooth = 1e-4;               // gamma, added to numerator and denominator
  std::string variant = "binary_set";  // binary_set | paper | multiclass_code
  bool square_denominator = false;    // squares in the denominator (binary_set, multiclass_code)
  std::string reduction = "mean";     // multiclass_code: none | mean | sum of per-token losses
  Tensor mask;                        // 0/1 token mask (binary: the input's shape; multi: [N])
};

// Self-adjusting Dice (Li et al., ACL 2020) of logits (binary: any shape, sigmoid inside;
// multiclass_code: [N, C], softmax inside) against integer labels (binary: 0/1 of the logits'
// shape; multiclass_code: [N] in [0, C)) (losses/segmentation/self_adjusting_dice_loss.cpp).
Tensor self_adjusting_dice_loss(const Tensor& input, const Tensor& target,
                                const SelfAdjustingDiceLossOptions& options = {});

struct ClDiceLossOptions {
  int64_t iters = 3;    // soft-skeleton iterations
  double alpha = 0.5;   // weight of clDice against the (negative) Dice term
  double smooth = 1.0;  // smoothing of topology precision and sensitivity
};

// The soft skeleton of a [B, C, H, W] or [B, C, D, H, W] map by iterated min/max pooling, as the
// official clDice code computes it (losses/segmentation/cldice_loss.cpp).
Tensor soft_skeleton(const Tensor& x, int64_t iters);

// (1 - alpha) negative Dice + alpha clDice of logits [B, C, H, W] or [B, C, D, H, W] (softmax
// over C inside) against a one-hot target of the same shape; clDice on the foreground channels
// (C >= 2) (losses/segmentation/cldice_loss.cpp).
Tensor cldice_loss(const Tensor& input, const Tensor& target,
                   const ClDiceLossOptions& options = {});

// -mean over (b, k >= 1) of the soft recall of the tubed ground-truth skeleton [B, C, ...]
// (constant) by softmax(logits [B, C, ...]) (losses/segmentation/skeleton_recall_loss.cpp).
Tensor skeleton_recall_loss(const Tensor& input, const Tensor& skeleton);

struct FocalTverskyLossOptions {
  double alpha = 0.7;   // weight of false negatives (false positives get 1 - alpha)
  double gamma = 0.75;  // focal exponent
  double smooth = 1.0;  // s, in numerator and denominator
};

// |1 - TI|^gamma with the Tversky index TI of probabilities p and binary targets g of one shape,
// every element pooled (losses/segmentation/focal_tversky_loss.cpp).
Tensor focal_tversky_loss(const Tensor& input, const Tensor& target,
                          const FocalTverskyLossOptions& options = {});

struct SfdaAdaentLossOptions {
  double power = 1.0;      // k of norm_soft_size
  double lam_se = 1.0;     // weight of the weighted self-entropy
  double lam_prior = 1.0;  // weight of KL(estimated proportions || prior)
};

struct SfdaAdaentLossResult {
  Tensor loss;     // lam_se * entropy + lam_prior * kl
  Tensor entropy;  // the class-weighted mean pixel entropy
  Tensor kl;       // KL(tau_hat || tau), averaged over the batch
};

// AdaEnt (Bateson et al.): probabilities [B, C, H, W], prior class proportions [B, C] and class
// weights [C] (both constant) (losses/segmentation/sfda_adaent_loss.cpp).
SfdaAdaentLossResult sfda_adaent_loss(const Tensor& input, const Tensor& prior,
                                      const Tensor& weight,
                                      const SfdaAdaentLossOptions& options = {});

// GCoNet+'s IoU loss sum_b (1 - IoU_b) of logits [B, ...] (sigmoid inside) and binary targets
// of the same shape (losses/segmentation/soft_iou_loss.cpp).
Tensor soft_iou_loss(const Tensor& input, const Tensor& target);

// ViDT+'s token labeling: for each token map x_l [B, K, h_l, w_l] the soft target is the
// adaptive average pool of the one-hot map [B, K, H, W] to (h_l, w_l); sigmoid focal loss plus
// DETR Dice, each divided by num_boxes, summed over levels
// (losses/segmentation/token_labeling_loss.cpp).
Tensor token_labeling_loss(const std::vector<Tensor>& token_logits, const Tensor& onehot_map,
                           double num_boxes);

// The adaptive average pool of x [..., H, W] to [..., h, w] (F.adaptive_avg_pool2d), as two
// averaging matrices (losses/segmentation/token_labeling_loss.cpp).
Tensor adaptive_avg_pool2d(const Tensor& x, int64_t h, int64_t w);

// TopoMortar's warping loss once active: negative Dice of softmax(logits [B, C, H, W]) and the
// one-hot target, plus `weight` times the cross-entropy averaged over the critical pixels
// (bool [B, H, W], from the host) (losses/segmentation/warping_loss.cpp).
Tensor warping_loss(const Tensor& input, const Tensor& target, const Tensor& critical,
                    double weight = 0.1);

// TopoMortar's TopoLoss: CE(logits [B, 2, spatial...], labels [B, spatial...]) + lam *
// MSE(softmax(logits)[:, 1] * w_cp, r_cp) with the critical-pixel maps w_cp, r_cp from the
// caller, or (both undefined) from the host-side persistence per topo_size patch
// (losses/segmentation/topoloss.cpp).
Tensor topoloss(const Tensor& input, const Tensor& target, const Tensor& w_cp = Tensor(),
                const Tensor& r_cp = Tensor(), double lam = 100.0, int64_t topo_size = 50);

// mean(softmax(logits [B, C, ...]) * rwmap) with the region-wise map rwmap of the same shape
// (constant) (losses/segmentation/region_wise_loss.cpp).
Tensor region_wise_loss(const Tensor& input, const Tensor& rwmap,
                        const std::string& reduction = "mean");

struct CbDiceLossOptions {
  Tensor weight;         // [C] class weights of the CE and Dice terms (ones when absent)
  double alpha = 1.0;    // weight of the Dice term (alpha / (2 (alpha + beta)))
  double beta = 1.0;     // weight of the cbDice term (beta / (2 (alpha + beta)))
  double smooth = 1.0;   // smoothing of the weighted topology precision and sensitivity
  int64_t iters = 5;     // skeletonization iterations
};

// TopoMortar's cbDice loss: 0.5 CE + weighted Dice + weighted centerline-boundary Dice of logits
// [B, C, H, W] or [B, C, D, H, W] and a one-hot target, skeletons and distance weights on the
// host (losses/segmentation/cbdice_loss.cpp).
Tensor cbdice_loss(const Tensor& input, const Tensor& target,
                   const CbDiceLossOptions& options = {});

struct MseTopowinLossOptions {
  double alpha = 1e-3;         // weight of the distance-map MSE
  double malis_lr = 1.0;       // weight of the negative (split) MALIS term
  double malis_lr_pos = 0.1;   // weight of the positive (merge) MALIS term (beta)
  int64_t window = 64;         // MALIS window side; only whole windows count
  double dmax = 20.0;          // distance clip
  double dmin = 10.0;          // the reference's lower distance threshold
  int64_t dilation = 5;        // background dilations before labelling the ground truth
  double weight_bg = 1.0;      // class weight of background pixels
  double weight_fg = 1.0;      // class weight of foreground pixels
};

// TopoMortar's MSE-TopoWin (MALIS windows) of predicted distance maps [B, 1, H, W] (relu'd
// inside) and a binary target [B, 1, H, W], the MALIS edge weights computed on the host
// (losses/segmentation/mse_topowin_loss.cpp).
Tensor mse_topowin_loss(const Tensor& input, const Tensor& target,
                        const MseTopowinLossOptions& options = {});

struct PiradsConsistencyLossOptions {
  std::vector<int64_t> shared_classes;  // channels compared (empty: all)
  std::string reduction = "mean";       // none | mean | sum
};

// MSE between two branches' probability maps [B, C, ...] on the shared classes
// (losses/segmentation/pirads_consistency_loss.cpp).
Tensor pirads_consistency_loss(const Tensor& input, const Tensor& other,
                               const PiradsConsistencyLossOptions& options = {});

}  // namespace lathe
