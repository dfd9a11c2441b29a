// The reference backend's DFT: the defining O(n^2) sum, in double, with the twiddle of
// (j k mod n) so that large products stay exact (backends/fft.h has the contract). Independent
// of the cpu backend's FFT (kissfft), so conformance compares two algorithms.
#include "backends/reference/linalg.h"

#include <cmath>
#include <complex>

#include "backends/checks.h"
#include "backends/fft.h"

namespace lathe_reference {

namespace {

void dft(const std::complex<double>* in, std::complex<double>* out, int64_t n, bool inverse) {
  const double sign = inverse ? 1.0 : -1.0, two_pi = 6.283185307179586476925286766559;
  for (int64_t k = 0; k < n; ++k) {
    std::complex<double> acc = 0;
    for (int64_t j = 0; j < n; ++j) {
      double angle = sign * two_pi * static_cast<double>((j * k) % n) / static_cast<double>(n);
      acc += in[j] * std::complex<double>(std::cos(angle), std::sin(angle));
    }
    out[k] = acc;
  }
}

}  // namespace

bool fft_supports(const lathe_fused_call* call) { return lathe_fft::supports(call); }

lathe_status fft_run(const lathe_fused_call* call) { return lathe_fft::run(call, dft); }

}  // namespace lathe_reference
