// The Gaussian window and the separable blur shared by ssim_loss and ms_ssim_loss.
// Both reference codes (pytorch-msssim's _fspecial_gauss_1d, GCoNet+'s create_window) build the
// window in float32 and cast it to the input's dtype; the window here is computed in double and
// rounded to float32 once. Their own float32 arithmetic (torch's exp and summation order)
// differs from it by an ulp in some weights, which the cancellation in G(x^2) - mu^2 turns into
// ~1e-6 relative in MS-SSIM at win 11 (1e-5 at win 3); given lathe's window, pytorch-msssim
// agrees with ms_ssim_loss to 1e-12 (tests/losses/image_test.cpp).
// The blur is the references' depthwise conv (groups = C, weight [C, 1, .., k, ..]) along one
// spatial dim at a time: oneDNN's depthwise path on cpu f32, measured 1.8x (ssim_loss) to 3.9x
// (ms_ssim_loss) faster there than folding the channels into the batch; with zero
// padding the separable form equals the 2-D window g g^T exactly (GCoNet+ rounds that outer
// product to float32: a relative difference below 1e-7 in each weight).
#include "losses/image/image.h"
#include "ops/composite.h"
#include "ops/nn/conv.h"

#include <cmath>
#include <vector>

namespace lathe {
namespace image_detail {

Tensor gaussian_window(int64_t size, double sigma, const Tensor& like) {
  std::vector<double> g(static_cast<size_t>(size));
  double total = 0.0;
  for (int64_t i = 0; i < size; ++i) {
    double c = static_cast<double>(i - size / 2);
    g[i] = std::exp(-c * c / (2.0 * sigma * sigma));
    total += g[i];
  }
  for (double& v : g) v = static_cast<double>(static_cast<float>(v / total));
  return from_vector(g, {size}, DType::f64, like.device()).to(like.dtype());
}

Tensor separable_blur(const Tensor& x, const Tensor& g, bool same) {
  int64_t nd = x.dim() - 2, k = g.numel(), c = x.shape()[1];
  Tensor y = x;  // [N, C, *spatial]
  for (int64_t d = 0; d < nd; ++d) {
    std::vector<int64_t> ws(static_cast<size_t>(2 + nd), 1);
    ws[2 + d] = k;
    ConvOptions o;
    o.padding.assign(nd, 0);
    if (same) o.padding[d] = k / 2;
    o.groups = c;
    ws[0] = 1;
    Tensor w = reshape(g, Shape(ws));
    ws[0] = c;
    w = expand(w, Shape(ws)).contiguous();  // [C, 1, .., k at d, ..]
    y = nd == 2 ? conv2d(y, w, Tensor(), o) : conv3d(y, w, Tensor(), o);
  }
  return y;  // [N, C, *spatial']
}

}  // namespace image_detail
}  // namespace lathe
