// The image-similarity losses of the catalog's metric family (catalog: metric.md): SSIM and
// MS-SSIM with Gaussian windows by separable convolution, each defined in
// losses/image/<name>.cpp. They register in family "metric" (docs/ops-metrics.md), so the loss
// contract does not apply; both still reduce with the kit's none | mean | sum.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct SsimLossOptions {
  std::string variant = "ssim";    // ssim (Gaussian 11x11) | consistency (3x3 box, GCoNet+)
  std::string reduction = "mean";  // none | mean | sum over the [N, C, H, W] map
};

// GCoNet+'s SSIMLoss 1 - SSIM(x, y) per pixel (same-size maps, zero padding) of images
// [N, C, H, W]; variant consistency: clamp((1 - SSIM) / 2, 0, 1) with 3x3 box statistics
// (losses/image/ssim_loss.cpp).
Tensor ssim_loss(const Tensor& input, const Tensor& target, const SsimLossOptions& options = {});

struct MsSsimLossOptions {
  double data_range = 1.0;  // L: C1 = (k1 L)^2, C2 = (k2 L)^2 (the port's default is 255)
  int64_t win_size = 11;    // odd Gaussian window length
  double win_sigma = 1.5;
  double k1 = 0.01;
  double k2 = 0.03;
  Tensor weights;                  // optional [S] scale weights; the standard 5 when undefined
  std::string reduction = "mean";  // none | mean | sum over (image, channel)
};

// 1 - MS-SSIM per (image, channel) of images [N, C, H, W] or volumes [N, C, D, H, W]: valid
// separable Gaussian windows, S scales with 2x average pooling between them
// (losses/image/ms_ssim_loss.cpp).
Tensor ms_ssim_loss(const Tensor& input, const Tensor& target,
                    const MsSsimLossOptions& options = {});

namespace image_detail {

// The normalized 1-D Gaussian window exp(-(i - k/2)^2 / (2 sigma^2)) / sum, i in [0, k),
// rounded to float32 like the reference codes' windows, in `like`'s dtype and device.
Tensor gaussian_window(int64_t size, double sigma, const Tensor& like);

// Depthwise separable blur of x [N, C, *spatial] (2 or 3 spatial dims) with the 1-D window g
// [k] along every spatial dim; `same` pads k / 2 zeros per side, else valid.
Tensor separable_blur(const Tensor& x, const Tensor& g, bool same);

}  // namespace image_detail

}  // namespace lathe
