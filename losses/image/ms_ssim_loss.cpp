// ms_ssim_loss: one minus multi-scale SSIM per (image, channel) of x, y [N, C, H, W] or
// [N, C, D, H, W]. Per scale j (G the valid separable Gaussian window, per channel):
//   mu = G * x, sigma_x^2 = G * x^2 - mu_x^2, sigma_xy = G * (x y) - mu_x mu_y
//   cs_j   = mean_space (2 sigma_xy + C2) / (sigma_x^2 + sigma_y^2 + C2)
//   ssim_j = mean_space (2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1) * cs map
// then x, y <- avg_pool(kernel 2, padding = size mod 2 per dim, zeros counted);
//   MS-SSIM = prod_{j < S-1} relu(cs_j)^{w_j} relu(ssim_{S-1})^{w_{S-1}},   l = 1 - MS-SSIM
// C1 = (k1 L)^2, C2 = (k2 L)^2. Standard weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333).
// Papers: "Learning to Generate Images with Perceptual Similarity Metrics" (Snell et al.);
// MS-SSIM of Wang, Simoncelli & Bovik 2003 (catalog: metric.md, confidence 'code (port)';
// checked against VainF/pytorch-msssim 1.0.0 ssim.py: _fspecial_gauss_1d, gaussian_filter,
// _ssim, ms_ssim; the oracle compares with it when it can be imported).
// Defaults: data_range 1 (the port's is 255), win_size 11, win_sigma 1.5, k1 0.01, k2 0.03,
// the 5 standard weights, reduction mean (1 - mean MS-SSIM: the port's size_average).
// NOTE (where lathe departs from the port, on purpose):
// - the port asserts min(H, W) > (win_size - 1) 2^4 whatever the number of scales and skips
//   the smoothing along a dim shorter than the window (3-D depth) with a warning; here every
//   spatial dim must be at least win_size at every scale, an error naming the op otherwise.
//   With 5 scales that is the port's rule for H and W (min(H, W) > 160 at win_size 11).
// - a relu-clamped term (cs_j <= 0) has the gradient 0 here; the port's is NaN (0 * inf of
//   the fractional power at 0).
// Gradients (autograd). Composite.
#include "losses/image/image.h"
#include "ops/composite.h"

#include <vector>

namespace lathe {
namespace {

// avg_pool with kernel 2, stride 2, padding p = n mod 2 on both sides of every spatial dim,
// count_include_pad: out = floor((n + 2p - 2) / 2) + 1 = (n + p) / 2 windows, the last pad
// unused, so it is p zeros in front, then the mean of each pair.
Tensor halve(const Tensor& x) {  // [N, C, *S] -> [N, C, *ceil(S / 2)]
  int64_t nd = x.dim() - 2;
  std::vector<int64_t> pads;
  for (int64_t d = nd - 1; d >= 0; --d) {
    pads.push_back(x.shape()[2 + d] % 2);
    pads.push_back(0);
  }
  Tensor y = pad(x, pads);
  Shape pairs{y.shape()[0], y.shape()[1]};
  Axes axes;
  for (int64_t d = 0; d < nd; ++d) {
    pairs.push_back(y.shape()[2 + d] / 2);
    pairs.push_back(2);
    axes.push_back(3 + 2 * d);
  }
  return mean(reshape(y, pairs), axes);
}

}  // namespace

Tensor ms_ssim_loss(const Tensor& input, const Tensor& target, const MsSsimLossOptions& o) {
  const char* op = "ms_ssim_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  LATHE_CHECK(input.dim() == 4 || input.dim() == 5, "[", op,
              "] input must be [N, C, H, W] or [N, C, D, H, W], got ", input.shape());
  check_same_shape(op, "input", input, "target", target);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.win_size >= 1 && o.win_size % 2 == 1, "[", op,
              "] win_size must be odd and positive, got ", o.win_size);
  LATHE_CHECK(o.win_sigma > 0, "[", op, "] win_sigma must be > 0, got ", o.win_sigma);
  LATHE_CHECK(o.data_range > 0, "[", op, "] data_range must be > 0, got ", o.data_range);
  Tensor w = o.weights.defined()
                 ? o.weights.detach()
                 : from_vector(std::vector<double>{0.0448, 0.2856, 0.3001, 0.2363, 0.1333}, {5},
                               DType::f64, input.device());
  check_floating(op, "weights", w);
  LATHE_CHECK(w.dim() == 1 && w.numel() >= 1, "[", op, "] weights must be [S], S >= 1, got ",
              w.shape());
  w = w.to(input.dtype());
  int64_t scales = w.numel();
  std::vector<int64_t> side;
  for (int64_t d = 2; d < input.dim(); ++d) side.push_back(input.shape()[d]);
  for (int64_t j = 0; j < scales; ++j) {
    for (int64_t n : side)
      LATHE_CHECK(n >= o.win_size, "[", op, "] the window (", o.win_size,
                  ") is larger than the image at scale ", j + 1, " of ", scales, ": input ",
                  input.shape(), " needs every spatial side > ", (o.win_size - 1) << (scales - 1));
    for (int64_t& n : side) n = (n + n % 2) / 2;
  }
  const double c1 = (o.k1 * o.data_range) * (o.k1 * o.data_range);
  const double c2 = (o.k2 * o.data_range) * (o.k2 * o.data_range);
  Tensor g = image_detail::gaussian_window(o.win_size, o.win_sigma, input);
  Axes space;
  for (int64_t d = 2; d < input.dim(); ++d) space.push_back(d);
  Tensor x = input, y = target;
  std::vector<Tensor> terms;  // S x [N, C]
  for (int64_t j = 0; j < scales; ++j) {
    auto blur = [&](const Tensor& t) { return image_detail::separable_blur(t, g, false); };
    Tensor mx = blur(x), my = blur(y);                                // [N, C, *S']
    Tensor sxx = blur(x * x) - mx * mx, syy = blur(y * y) - my * my;
    Tensor sxy = blur(x * y) - mx * my;
    Tensor cs_map = (2.0 * sxy + c2) / (sxx + syy + c2);              // [N, C, *S']
    if (j + 1 < scales) {
      terms.push_back(mean(cs_map, space));                           // [N, C]
      x = halve(x);
      y = halve(y);
    } else {
      terms.push_back(mean((2.0 * mx * my + c1) / (mx * mx + my * my + c1) * cs_map, space));
    }
  }
  Tensor ms;                                                          // [N, C]
  for (int64_t j = 0; j < scales; ++j) {
    Tensor pos = gt(terms[j], 0.0);                                   // relu(v)^w, grad 0 at 0
    Tensor p = where(pos, pow(where(pos, terms[j], 1.0), narrow(w, 0, j, 1)), 0.0);
    ms = j == 0 ? p : ms * p;
  }
  Tensor loss = 1.0 - ms;                                             // [N, C]
  return apply_reduction(loss, r);
}

LATHE_REGISTER_OPS(ms_ssim_loss) {
  registry.add(OpDef("ms_ssim_loss", "metric")
                   .summary("1 - multi-scale SSIM per (image, channel): valid separable Gaussian "
                            "windows, 2x pooling between scales")
                   .paper("Learning to Generate Images with Perceptual Similarity Metrics")
                   .input("input")
                   .input("target")
                   .options<MsSsimLossOptions>()
                   .attr("data_range", &MsSsimLossOptions::data_range,
                         "value range L: C1 = (k1 L)^2, C2 = (k2 L)^2")
                   .attr("win_size", &MsSsimLossOptions::win_size, "odd Gaussian window length")
                   .attr("win_sigma", &MsSsimLossOptions::win_sigma, "Gaussian window sigma")
                   .attr("k1", &MsSsimLossOptions::k1, "luminance constant K1")
                   .attr("k2", &MsSsimLossOptions::k2, "contrast constant K2")
                   .input("weights", &MsSsimLossOptions::weights, Kind::floating,
                          kOptional | kNoGrad)
                   .attr("reduction", &MsSsimLossOptions::reduction,
                         "none | mean | sum over (image, channel)")
                   .output("loss")
                   .run(ms_ssim_loss));
}

}  // namespace lathe
