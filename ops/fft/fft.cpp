// The FFT ops, all built on one kernel: the unnormalized complex DFT along one axis ("dft",
// backends/fft.h; kissfft on cpu, the O(n^2) sum on the reference, the reference's through the
// host elsewhere), y_k = sum_j x_j exp(-+ 2 pi i j k / n).
//   fft / ifft: the kernel along `axis`, scaled by the norm mode.
//   rfft:  fft of (x, 0), the first n/2 + 1 bins.
//   irfft: the Hermitian extension X_k, k < n/2 + 1 (zero-padded or cut), then conj(X_{n-k}),
//          inverse transformed, real part. Like C2R (and torch), the imaginary parts of X_0 and
//          of X_{n/2} (n even) do not reach the output and get no gradient.
//   fft2, rfft2, irfft2: the one-axis ops over the last two logical axes.
// Backward: the DFT is linear and its adjoint is the transform of the other direction,
// F^H = n F^-1 (unnormalized: the kernel with `inverse` flipped), so the rule is one kernel call
// through the public op and every order of derivative is exact. The composites get theirs
// from autograd (the slice, the Hermitian extension and the real part are linear too); torch
// writes the same rules out (its irfft gradient doubles bins 1 .. n - n/2 - 1 of rfft(g),
// exactly the two places each appears in the extension).
#include "ops/fft/fft.h"

#include <cmath>
#include <vector>

#include "core/checked.h"
#include "ops/linalg/common.h"

namespace lathe {

namespace {

// Checks that x is complex (a float tensor [.., 2] of at least one logical axis) and returns
// the logical axis as a real axis index.
int complex_axis(const char* op, const Tensor& x, int64_t axis) {
  check_floating(op, "x", x);
  LATHE_CHECK(x.dtype() == DType::f32 || x.dtype() == DType::f64, "[", op,
              "] x must be f32 or f64, got ", x.dtype());
  LATHE_CHECK(x.dim() >= 2 && x.shape().back() == 2, "[", op,
              "] x must be complex: (real, imaginary) pairs on a last axis of size 2, got ",
              x.shape());
  int ax = normalize_axis(axis, x.dim() - 1, op);
  LATHE_CHECK(x.shape()[ax] > 0, "[", op, "] the transformed axis ", axis,
              " has length 0 (x of shape ", x.shape(), ")");
  return ax;
}

int real_axis(const char* op, const Tensor& x, int64_t axis) {
  check_floating(op, "x", x);
  LATHE_CHECK(x.dtype() == DType::f32 || x.dtype() == DType::f64, "[", op,
              "] x must be f32 or f64, got ", x.dtype());
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x must have an axis to transform, got a scalar");
  int ax = normalize_axis(axis, x.dim(), op);
  LATHE_CHECK(x.shape()[ax] > 0, "[", op, "] the transformed axis ", axis,
              " has length 0 (x of shape ", x.shape(), ")");
  return ax;
}

// The scale of a transform of length n in `norm` mode.
double scale(const char* op, const std::string& norm, int64_t n, bool inverse) {
  if (norm == "backward") return inverse ? 1.0 / static_cast<double>(n) : 1.0;
  if (norm == "forward") return inverse ? 1.0 : 1.0 / static_cast<double>(n);
  if (norm == "ortho") return 1.0 / std::sqrt(static_cast<double>(n));
  LATHE_FAIL("[", op, "] norm must be backward, forward or ortho, got '", norm, "'");
}

// The unnormalized DFT of complex x [.., n, 2] along its second-to-last axis.
Tensor dft(const Tensor& x, bool inverse) {
  FusedKernel k{"dft", {x}, {{x.shape(), x.dtype()}}, {inverse ? 1.0 : 0.0}, -1, false};
  return linalg::run_kernel(k, [inverse](const std::vector<Tensor>& g, const std::vector<Tensor>&,
                                         const std::vector<Tensor>&) -> std::vector<Tensor> {
           return {dft(g[0], !inverse)};  // the adjoint
         })[0];
}

// fft / ifft of complex x along real axis `ax` (< x.dim() - 1), scaled.
Tensor transform(const char* op, const Tensor& x, int ax, const std::string& norm, bool inverse) {
  double s = scale(op, norm, x.shape()[ax], inverse);
  int last = x.dim() - 2;
  Tensor moved = ax == last ? x : transpose(x, ax, last);  // [.., n, 2]
  Tensor y = dft(moved, inverse);
  if (ax != last) y = transpose(y, ax, last);
  return s == 1.0 ? y : y * s;
}

}  // namespace

Tensor fft(const Tensor& x, int64_t axis, const std::string& norm) {
  return transform("fft", x, complex_axis("fft", x, axis), norm, false);
}

Tensor ifft(const Tensor& x, int64_t axis, const std::string& norm) {
  return transform("ifft", x, complex_axis("ifft", x, axis), norm, true);
}

Tensor rfft(const Tensor& x, int64_t axis, const std::string& norm) {
  int ax = real_axis("rfft", x, axis);
  int64_t n = x.shape()[ax];
  Tensor c = stack({x, zeros_like(x)}, -1);  // [.., 2]
  return narrow(transform("rfft", c, ax, norm, false), ax, 0, n / 2 + 1);
}

Tensor irfft(const Tensor& x, int64_t n, int64_t axis, const std::string& norm) {
  int ax = complex_axis("irfft", x, axis);
  int64_t m = x.shape()[ax];
  if (n < 0) n = 2 * (m - 1);
  LATHE_CHECK(n >= 1, "[irfft] the output length n must be >= 1, got ", n, " (x of shape ",
              x.shape(), ")");
  // n comes from an attribute: one row of the spectrum, [n, 2], must fit the allocation ceiling
  // before an index of n / 2 entries is built on the host (n = 2^31 ran out of memory there,
  // even for an x with no rows).
  check_alloc(checked_nbytes({n, 2}, dtype_size(x.dtype()), "irfft"), {n, 2},
              dtype_name(x.dtype()), "irfft");
  int64_t half = n / 2 + 1, kept = std::min(m, half);
  Tensor head = narrow(x, ax, 0, kept);  // X_0 .. X_{half-1}, zero-padded below
  if (kept < half) {
    std::vector<int64_t> pads(static_cast<size_t>(2 * x.dim()), 0);
    pads[2 * (x.dim() - 1 - ax) + 1] = half - kept;  // F.pad order: the last axis first
    head = pad(head, pads);
  }
  Tensor full = head;
  if (n - half > 0) {  // X_k for k = half .. n - 1 is conj(X_{n-k}): X_{n-half} .. X_1 reversed
    std::vector<int64_t> rev;
    for (int64_t k = n - half; k >= 1; --k) rev.push_back(k);
    Tensor idx = from_vector(rev, {static_cast<int64_t>(rev.size())}, x.device());
    Tensor conj = from_vector(std::vector<double>{1.0, -1.0}, {2}, x.dtype(), x.device());
    full = concat({head, index_select(head, idx, ax) * conj}, ax);
  }
  Tensor y = transform("irfft", full, ax, norm, true);  // [.., n, .., 2]
  return squeeze(narrow(y, -1, 0, 1), {-1});
}

Tensor fft2(const Tensor& x, const std::string& norm) {
  complex_axis("fft2", x, -2);
  return fft(fft(x, -1, norm), -2, norm);
}

Tensor rfft2(const Tensor& x, const std::string& norm) {
  real_axis("rfft2", x, -2);
  return fft(rfft(x, -1, norm), -2, norm);
}

Tensor irfft2(const Tensor& x, int64_t n, const std::string& norm) {
  complex_axis("irfft2", x, -2);
  return irfft(ifft(x, -2, norm), n, -1, norm);
}

LATHE_REGISTER_OPS(fft) {
  auto one_axis = [](const char* name, const char* summary, bool has_n, bool has_axis) {
    OpDef d(name, "fft");
    d.summary(summary).input("x");
    if (has_n) d.attr("n", -1, "output length on the axis (-1: 2 (m - 1))");
    if (has_axis) d.attr("axis", -1, "the transformed (logical) axis");
    d.attr("norm", "backward", "backward (inverse scaled 1/n), forward (forward 1/n) or ortho");
    d.output("y");
    return d;
  };
  registry.add(one_axis("fft", "DFT of a complex tensor along one axis", false, true)
                   .run([](const OpCall& c) {
                     return Outputs{fft(c.in("x"), c.i("axis"), c.s("norm"))};
                   }));
  registry.add(one_axis("ifft", "inverse DFT of a complex tensor along one axis", false, true)
                   .run([](const OpCall& c) {
                     return Outputs{ifft(c.in("x"), c.i("axis"), c.s("norm"))};
                   }));
  registry.add(one_axis("rfft", "DFT of a real tensor: the n/2 + 1 non-redundant bins", false,
                        true)
                   .run([](const OpCall& c) {
                     return Outputs{rfft(c.in("x"), c.i("axis"), c.s("norm"))};
                   }));
  registry.add(one_axis("irfft", "inverse of rfft: real output of length n", true, true)
                   .run([](const OpCall& c) {
                     return Outputs{irfft(c.in("x"), c.i("n"), c.i("axis"), c.s("norm"))};
                   }));
  registry.add(one_axis("fft2", "DFT of a complex tensor over its last two axes", false, false)
                   .run([](const OpCall& c) { return Outputs{fft2(c.in("x"), c.s("norm"))}; }));
  registry.add(one_axis("rfft2", "DFT of a real tensor over its last two axes (last one halved)",
                        false, false)
                   .run([](const OpCall& c) { return Outputs{rfft2(c.in("x"), c.s("norm"))}; }));
  registry.add(one_axis("irfft2", "inverse of rfft2: real output, n on the last axis", true,
                        false)
                   .run([](const OpCall& c) {
                     return Outputs{irfft2(c.in("x"), c.i("n"), c.s("norm"))};
                   }));
}

}  // namespace lathe
