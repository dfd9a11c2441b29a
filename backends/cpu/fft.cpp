// The cpu backend's DFT (backends/fft.h has the contract): kissfft's header-only C++ template
// (Debian libkissfft-dev, BSD-3-Clause; not FFTW, which is GPL, in a library that applications
// embed) instantiated for double, one plan per call. Built without kissfft (LATHE_WITH_KISSFFT
// unset) the backend declines the call and the op runs the reference's O(n^2) DFT instead.
#include <complex>
#include <cstddef>

#include "backends/cpu/cpu.h"
#include "backends/fft.h"

#ifdef LATHE_WITH_KISSFFT
#include <kissfft/kissfft.hh>
#endif

namespace lathe_cpu {

bool fft_supports(const lathe_fused_call* call) {
#ifdef LATHE_WITH_KISSFFT
  return lathe_fft::supports(call);
#else
  (void)call;
  return false;
#endif
}

lathe_status fft_run(const lathe_fused_call* call) {
#ifdef LATHE_WITH_KISSFFT
  const lathe_view& x = call->inputs[0];
  kissfft<double> plan(static_cast<std::size_t>(x.shape[x.ndim - 2]), call->attrs[0] != 0);
  return lathe_fft::run(call, [&plan](const std::complex<double>* in, std::complex<double>* out,
                                      int64_t, bool) { plan.transform(in, out); });
#else
  return fail(LATHE_ERR_UNSUPPORTED, "cpu: built without kissfft: no kernel '%s'", call->op);
#endif
}

}  // namespace lathe_cpu
