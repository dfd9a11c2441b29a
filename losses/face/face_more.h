// The face family's second slice (catalog: face.md): unpg_loss and hyp_pc_loss, defined in
// losses/face/<name>.cpp. Reached through face.h once merged.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct UnpgLossOptions {
  double s = 64.0;                 // logit scale (the head's)
  double wisk = 1.5;               // whisker length in IQRs (the config's unpg entry)
  std::string reduction = "mean";  // none | mean | sum over the batch
};

// UNPG: cross-entropy of s [cos_margin | kept negative-pair cosines], cos_margin [B, C] the
// head's margin cosines (unscaled), x [B, D] the features, labels [B].
// losses/face/unpg_loss.cpp.
Tensor unpg_loss(const Tensor& cos_margin, const Tensor& x, const Tensor& labels,
                 const UnpgLossOptions& options = {});

struct HypPcLossOptions {
  double c = 0.1;                  // the Poincare ball's curvature, > 0
  bool true_distance = false;      // artanh (poincare distance) instead of the code's arctan
  std::string reduction = "mean";  // none | mean | sum over the B/2 pairs
};

// Hyp-OC's hyperbolic pairwise confusion of real-sample embeddings f [B, D], B even.
// losses/face/hyp_pc_loss.cpp.
Tensor hyp_pc_loss(const Tensor& f, const HypPcLossOptions& options = {});

}  // namespace lathe

namespace lathe {

struct SymfaceLossOptions {
  std::string reduction = "mean";  // none | mean | sum over the selected samples
};

// SymFace's symmetry term: 1 - cos between the embeddings of the left and right (mirrored)
// halves of frontal faces, e_left, e_right [B, D]. losses/face/symface_loss.cpp.
Tensor symface_loss(const Tensor& e_left, const Tensor& e_right,
                    const SymfaceLossOptions& options = {});

}  // namespace lathe

namespace lathe {

// Cosines of L2-normalized features x [B, D] to L2-normalized class weights W [C, D]:
// [B, C] (F.linear(F.normalize(x), F.normalize(W)); family nn). losses/face/cosine_linear.cpp.
Tensor cosine_linear(const Tensor& x, const Tensor& weight);

struct AdditiveMarginLogitsOptions {
  std::string kind = "arcface";  // arcface | cosface | am_softmax
  double s = 64.0;               // scale
  double m = 0.5;                // margin
  bool easy_margin = false;      // arcface: keep cos where cos <= 0
};

// Margin-softmax logits s [onehot phi(cos_y) + (1 - onehot) cos] of cosines [B, C] and
// labels [B] (family nn). losses/face/additive_margin_logits.cpp.
Tensor additive_margin_logits(const Tensor& cosine, const Tensor& labels,
                              const AdditiveMarginLogitsOptions& options = {});

}  // namespace lathe
