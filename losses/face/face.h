// The face family of the loss catalog (catalog: face.md): one declaration block per loss, each
// defined in losses/face/<name>.cpp. They share the embedding batch kit,
// losses/metric_learning/pairs.h.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct SfaceLossOptions {
  double s = 64.0;   // scale
  double k = 80.0;   // slope of the re-scaling sigmoids
  double a = 0.80;   // intra-class angle (radians) where r_intra = 1/2
  double b = 1.23;   // inter-class angle (radians) where r_inter = 1/2
};

// SFace's sigmoid-constrained hypersphere loss of features x [B, D], class weights W [C, D]
// and labels [B]. losses/face/sface_loss.cpp.
Tensor sface_loss(const Tensor& x, const Tensor& weight, const Tensor& labels,
                  const SfaceLossOptions& options = {});

}  // namespace lathe
