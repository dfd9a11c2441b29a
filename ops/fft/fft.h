// Discrete Fourier transforms (torch.fft's names and norm modes). Complex values are
// (real, imaginary) pairs on a trailing axis of size 2 (docs/complex.md says why): a complex
// tensor of logical shape [..] is a float tensor [.., 2], and `axis` counts the logical axes.
// norm: "backward" (forward unscaled, inverse 1/n), "forward" (the reverse) or "ortho"
// (1/sqrt(n) both ways). docs/ops-linalg.md has the registry entries, ops/fft/README.md the
// design.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

// Complex x [.., 2] -> complex, along one logical axis.
Tensor fft(const Tensor& x, int64_t axis = -1, const std::string& norm = "backward");
Tensor ifft(const Tensor& x, int64_t axis = -1, const std::string& norm = "backward");
// Real x [..] -> complex [.., n/2 + 1 (on axis), .., 2].
Tensor rfft(const Tensor& x, int64_t axis = -1, const std::string& norm = "backward");
// Complex x (m on axis) -> real with n on axis (n = -1: 2 (m - 1)); the inverse of rfft.
Tensor irfft(const Tensor& x, int64_t n = -1, int64_t axis = -1,
             const std::string& norm = "backward");
// Over the last two logical axes.
Tensor fft2(const Tensor& x, const std::string& norm = "backward");
Tensor rfft2(const Tensor& x, const std::string& norm = "backward");
Tensor irfft2(const Tensor& x, int64_t n = -1, const std::string& norm = "backward");

}  // namespace lathe
