// The DFT kernel of the FFT ops (ops/fft/), a run_fused call named "dft" (fused_ops.def), shared
// by the host backends: the check of a call and its walk over the batch; each backend supplies
// the transform of one contiguous complex sequence.
//
//   dft   x [.., n, 2] -> y [.., n, 2], attrs {inverse}: complex numbers as (real, imaginary)
//         pairs on the last axis (docs/complex.md), transformed along the second-to-last axis:
//         y_k = sum_j x_j exp(-+ 2 pi i j k / n) (minus forward, plus inverse), unnormalized (the
//         ops scale). Dense views of one float dtype (f32 or f64); the math runs in double.
#ifndef LATHE_BACKENDS_FFT_H
#define LATHE_BACKENDS_FFT_H

#include <complex>
#include <cstdint>
#include <cstring>
#include <vector>

#include "backends/backend.h"
#include "backends/linalg.h"

namespace lathe_fft {

inline bool supports(const lathe_fused_call* c) {
  if (std::strcmp(c->op, "dft") != 0 || c->n_inputs != 1 || c->n_outputs != 1 ||
      c->n_attrs != 1)
    return false;
  const lathe_view &x = c->inputs[0], &y = c->outputs[0];
  if ((x.dtype != LATHE_F32 && x.dtype != LATHE_F64) || y.dtype != x.dtype) return false;
  if (x.ndim < 2 || x.shape[x.ndim - 1] != 2 || y.ndim != x.ndim) return false;
  for (int d = 0; d < x.ndim; ++d)
    if (x.shape[d] != y.shape[d]) return false;
  return lathe_linalg::dense(x) && lathe_linalg::dense(y);
}

// `transform(in, out, n, inverse)` transforms one sequence of n complex doubles.
template <typename Transform>
lathe_status run(const lathe_fused_call* c, Transform transform) {
  const lathe_view &x = c->inputs[0], &y = c->outputs[0];
  const int64_t n = x.shape[x.ndim - 2], batches = lathe_linalg::batch_count(x, 2);
  const bool inverse = c->attrs[0] != 0;
  std::vector<std::complex<double>> in(static_cast<size_t>(n)), out(static_cast<size_t>(n));
  for (int64_t b = 0; b < batches; ++b) {
    lathe_linalg::load(x, b * n * 2, n * 2, reinterpret_cast<double*>(in.data()));
    transform(in.data(), out.data(), n, inverse);
    lathe_linalg::store(y, b * n * 2, n * 2, reinterpret_cast<const double*>(out.data()));
  }
  return LATHE_OK;
}

}  // namespace lathe_fft

#endif  // LATHE_BACKENDS_FFT_H
