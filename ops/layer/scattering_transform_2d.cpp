// scattering_transform_2d: Kymatio's 2-D wavelet scattering (Scattering2D, max_order 1 or 2)
//   S0 = x * phi_J,  S1 = |x * psi_{j,t}| * phi_J,  S2 = ||x * psi_{j1,t1}| * psi_{j2,t2}| * phi_J
// (j2 > j1), each subsampled by 2^J: x [..., H, W] -> [..., K, H / 2^J, W / 2^J] (floor), with
// K = 1 + L J + L^2 J (J - 1) / 2 for max_order 2, in Kymatio's order (S0, the S1 by (j, t),
// the S2 by (j1, t1, j2, t2)). No parameters: the backward goes through fixed filters, FFTs
// and the modulus (gradient z / |z|, 0 at z = 0 as Kymatio's ModulusStable).
// Paper: "ScatSimCLR: self-supervised contrastive learning with pretext task regularization
// for small-scale datasets" (catalog: layer.md; code vkinakh/scatsimclr, which calls
// kymatio.torch.Scattering2D(J, shape, L) with J 2, L 8). Checked against kymatio 0.3.0's
// source (scattering2d/filter_bank.py, core/scattering2d.py, backend/torch_backend.py,
// utils.py): the same algorithm in the Fourier domain:
// - reflection padding to M_p = ((M + 2^J) // 2^J + 1) 2^J (N_p likewise), (M_p - M) // 2 rows
//   on top; the result is cropped [1:-1, 1:-1] after subsampling;
// - Morlet filters psi_{j,t} = morlet_2d(sigma 0.8 2^j, angle (L - L/2 - 1 - t) pi / L,
//   xi 3 pi / 4 / 2^j, slant 4 / L) and phi = gabor_2d(sigma 0.8 2^(J-1), 0, 0), periodized
//   over 5 x 5 images, normalized by 2 * 3.1415 sigma^2 / slant (Kymatio's constant), the real
//   part of their FFT, cropped to each resolution by periodize_filter_fft;
// - subsampling by k in the Fourier domain = the mean of the k x k aliases.
// NOTE: Kymatio builds its filters in complex64/float32; we build them in double (then cast to
// x's dtype), so f32 outputs agree with Kymatio to about 1e-6 relative, f64 ones are more
// exact than Kymatio's. Images whose padding would reach the image size (Kymatio's special
// case, M <= 2^J roughly) are rejected.
// Defaults: J 2, L 8, max_order 2. Composite.
#include <cmath>
#include <complex>
#include <vector>

#include "ops/composite.h"
#include "ops/fft/fft.h"
#include "ops/layer/layer.h"

namespace lathe {

namespace {

using Grid = std::vector<std::complex<double>>;  // row-major [M, N]

// Kymatio's gabor_2d: a Gaussian envelope times a plane wave, periodized over 5 x 5 copies.
Grid gabor_2d(int64_t m, int64_t n, double sigma, double theta, double xi, double slant) {
  double c = std::cos(theta), s = std::sin(theta);
  // curv = R diag(1, slant^2) R^T / (2 sigma^2)
  double k00 = (c * c + slant * slant * s * s) / (2 * sigma * sigma);
  double k01 = (c * s - slant * slant * s * c) / (2 * sigma * sigma);
  double k11 = (s * s + slant * slant * c * c) / (2 * sigma * sigma);
  Grid g(m * n, 0.0);
  for (int ex = -2; ex <= 2; ++ex)
    for (int ey = -2; ey <= 2; ++ey)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double x = static_cast<double>(i + ex * m), y = static_cast<double>(j + ey * n);
          double re = -(k00 * x * x + 2 * k01 * x * y + k11 * y * y);
          double im = x * xi * c + y * xi * s;
          g[i * n + j] += std::exp(std::complex<double>(re, im));
        }
  double norm = 2 * 3.1415 * sigma * sigma / slant;  // Kymatio's constant, not pi
  for (auto& v : g) v /= norm;
  return g;
}

// Real part of the 2-D DFT of g (a direct O(M N (M + N)) transform: built once per call).
std::vector<double> real_fft2(const Grid& g, int64_t m, int64_t n) {
  const double two_pi = 6.283185307179586476925;
  Grid rows(m * n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t v = 0; v < n; ++v) {
      std::complex<double> acc = 0;
      for (int64_t j = 0; j < n; ++j)
        acc += g[i * n + j] * std::polar(1.0, -two_pi * static_cast<double>(v * j % n) / n);
      rows[i * n + v] = acc;
    }
  std::vector<double> out(m * n);
  for (int64_t u = 0; u < m; ++u)
    for (int64_t v = 0; v < n; ++v) {
      std::complex<double> acc = 0;
      for (int64_t i = 0; i < m; ++i)
        acc += rows[i * n + v] * std::polar(1.0, -two_pi * static_cast<double>(u * i % m) / m);
      out[u * n + v] = acc.real();
    }
  return out;
}

// Kymatio's periodize_filter_fft: zero the band that would alias, then fold to M/2^res.
std::vector<double> periodize(const std::vector<double>& f, int64_t m, int64_t n, int res) {
  int64_t k = int64_t{1} << res, mr = m / k, nr = n / k;
  double frac = std::ldexp(1.0, -res);
  auto len_x = static_cast<int64_t>(m * (1 - frac)), start_x = static_cast<int64_t>(m * frac / 2);
  auto len_y = static_cast<int64_t>(n * (1 - frac)), start_y = static_cast<int64_t>(n * frac / 2);
  std::vector<double> crop(mr * nr, 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      bool masked = (i >= start_x && i < start_x + len_x) || (j >= start_y && j < start_y + len_y);
      if (!masked) crop[(i % mr) * nr + (j % nr)] += f[i * n + j];
    }
  return crop;
}

struct Filters {
  std::vector<Tensor> phi;                // levels 0..J-1: [M_p / 2^r, N_p / 2^r, 1]
  std::vector<std::vector<Tensor>> psi;   // per (j, t): levels 0..min(j + 1, max(J - 1, 1)) - 1
  std::vector<int> psi_j;
};

Filters filter_bank(int64_t m, int64_t n, int j_max, int l, DType dtype, Device device) {
  const double pi = 3.14159265358979323846;
  auto level = [&](const std::vector<double>& f, int res) {
    int64_t k = int64_t{1} << res;
    return from_vector(periodize(f, m, n, res), {m / k, n / k, 1}, dtype, device);
  };
  Filters out;
  for (int j = 0; j < j_max; ++j)
    for (int t = 0; t < l; ++t) {
      double sigma = 0.8 * std::ldexp(1.0, j);
      double theta = (static_cast<int>(l - l / 2.0 - 1) - t) * pi / l;
      double xi = 3.0 / 4.0 * pi / std::ldexp(1.0, j), slant = 4.0 / l;
      Grid wave = gabor_2d(m, n, sigma, theta, xi, slant);
      Grid env = gabor_2d(m, n, sigma, theta, 0.0, slant);
      std::complex<double> sw = 0, se = 0;
      for (int64_t i = 0; i < m * n; ++i) {
        sw += wave[i];
        se += env[i];
      }
      std::complex<double> beta = sw / se;  // Morlet: zero mean
      for (int64_t i = 0; i < m * n; ++i) wave[i] -= beta * env[i];
      std::vector<double> f = real_fft2(wave, m, n);
      std::vector<Tensor> levels;
      int n_levels = std::min(j + 1, std::max(j_max - 1, 1));
      for (int r = 0; r < n_levels; ++r) levels.push_back(level(f, r));
      out.psi.push_back(levels);
      out.psi_j.push_back(j);
    }
  std::vector<double> f = real_fft2(gabor_2d(m, n, 0.8 * std::ldexp(1.0, j_max - 1), 0, 0, 1.0),
                                    m, n);
  for (int r = 0; r < j_max; ++r) out.phi.push_back(level(f, r));
  return out;
}

// Reflection padding (no edge repeat) of the last two axes by index_select.
Tensor reflect_pad(const Tensor& x, int64_t top, int64_t bottom, int64_t left, int64_t right) {
  auto indices = [&](int64_t size, int64_t lo, int64_t hi) {
    std::vector<int64_t> idx;
    for (int64_t i = -lo; i < size + hi; ++i) {
      int64_t r = i < 0 ? -i : (i >= size ? 2 * (size - 1) - i : i);
      idx.push_back(r);
    }
    return from_vector(idx, {static_cast<int64_t>(idx.size())}, x.device());
  };
  int64_t m = x.shape()[x.dim() - 2], n = x.shape()[x.dim() - 1];
  Tensor rows = index_select(x, indices(m, top, bottom), x.dim() - 2);
  return index_select(rows, indices(n, left, right), x.dim() - 1);
}

Tensor complex_times_real(const Tensor& z, const Tensor& f) { return z * f; }  // [.., M, N, 2]

// Kymatio's subsample_fourier: the mean of the k x k aliases, [B, M, N, 2] -> [B, M/k, N/k, 2].
Tensor subsample_fourier(const Tensor& z, int64_t k) {
  if (k == 1) return z;
  int64_t b = z.shape()[0], m = z.shape()[1], n = z.shape()[2];
  Tensor y = reshape(z, {b, k, m / k, k, n / k, 2});
  return mean(y, {1, 3});
}

Tensor ifft2(const Tensor& z) { return ifft(ifft(z, -1), -2); }

// |z| with gradient z/|z| and 0 at z = 0 (Kymatio's ModulusStable).
Tensor modulus(const Tensor& z) {
  Tensor r2 = sum(z * z, {-1});                                        // [.., M, N]
  Tensor nz = gt(r2, 0.0);
  return where(nz, sqrt(where(nz, r2, 1.0)), 0.0);
}

Tensor to_complex(const Tensor& x) { return stack({x, zeros_like(x)}, -1); }

Tensor unpad(const Tensor& x) {  // real [B, M, N] -> [B, M - 2, N - 2]
  int64_t m = x.shape()[1], n = x.shape()[2];
  return narrow(narrow(x, 1, 1, m - 2), 2, 1, n - 2);
}

}  // namespace

Tensor scattering_transform_2d(const Tensor& x, int64_t j, int64_t l, int64_t max_order) {
  const char* op = "scattering_transform_2d";
  check_floating(op, "x", x);
  LATHE_CHECK(x.dim() >= 2, "[", op, "] x must be [..., H, W], got ", x.shape());
  LATHE_CHECK(j >= 1 && j <= 8, "[", op, "] J must be in [1, 8], got ", j);
  LATHE_CHECK(l >= 1, "[", op, "] L must be >= 1, got ", l);
  LATHE_CHECK(max_order == 1 || max_order == 2, "[", op, "] max_order must be 1 or 2, got ",
              max_order);
  int64_t m = x.shape()[x.dim() - 2], n = x.shape()[x.dim() - 1], k = int64_t{1} << j;
  int64_t mp = ((m + k) / k + 1) * k, np = ((n + k) / k + 1) * k;
  int64_t top = (mp - m) / 2, bottom = (mp - m + 1) / 2;
  int64_t left = (np - n) / 2, right = (np - n + 1) / 2;
  LATHE_CHECK(bottom < m && right < n, "[", op, "] the image ", m, " x ", n, " is too small for J ",
              j, ": the reflection padding to ", mp, " x ", np, " must be smaller than the image");
  Shape batch(std::vector<int64_t>(x.shape().begin(), x.shape().end() - 2));
  int64_t b = 1;
  for (int64_t d : batch) b *= d;
  Filters f = filter_bank(mp, np, static_cast<int>(j), static_cast<int>(l), x.dtype(), x.device());

  Tensor u0 = fft2(to_complex(reflect_pad(reshape(x, {b, m, n}), top, bottom, left, right)));
  std::vector<Tensor> out;                                             // each [B, M', N']
  auto low_pass = [&](const Tensor& uc, int64_t j_in) {                // uc at resolution j_in
    Tensor s = subsample_fourier(complex_times_real(uc, f.phi[j_in]), k >> j_in);
    return unpad(ifft2(s).select(-1, 0));
  };
  out.push_back(low_pass(u0, 0));
  std::vector<Tensor> u1(f.psi.size());
  for (size_t n1 = 0; n1 < f.psi.size(); ++n1) {
    int j1 = f.psi_j[n1];
    Tensor c = subsample_fourier(complex_times_real(u0, f.psi[n1][0]), int64_t{1} << j1);
    u1[n1] = fft2(to_complex(modulus(ifft2(c))));                      // [B, M_p/2^j1, .., 2]
    out.push_back(low_pass(u1[n1], j1));
  }
  if (max_order == 2)
    for (size_t n1 = 0; n1 < f.psi.size(); ++n1)
      for (size_t n2 = 0; n2 < f.psi.size(); ++n2) {
        int j1 = f.psi_j[n1], j2 = f.psi_j[n2];
        if (j2 <= j1) continue;
        Tensor c = subsample_fourier(complex_times_real(u1[n1], f.psi[n2][j1]),
                                     int64_t{1} << (j2 - j1));
        Tensor u2 = fft2(to_complex(modulus(ifft2(c))));
        out.push_back(low_pass(u2, j2));
      }
  Tensor s = stack(out, 1);                                            // [B, K, M', N']
  Shape shape = batch;
  for (int64_t d = 1; d < s.dim(); ++d) shape.push_back(s.shape()[d]);
  return reshape(s, shape);                                            // [..., K, M', N']
}

LATHE_REGISTER_OPS(scattering_transform_2d) {
  registry.add(OpDef("scattering_transform_2d", "layer")
                   .summary("Kymatio's 2-D wavelet scattering (Morlet filters, orders 0-2)")
                   .paper("ScatSimCLR: self-supervised contrastive learning with pretext task "
                          "regularization for small-scale datasets")
                   .input("x")
                   .attr("j", 2, "scales J (subsampling by 2^J), in [1, 8]")
                   .attr("l", 8, "angles L per scale")
                   .attr("max_order", 2, "1 or 2")
                   .output("s")
                   .run([](const OpCall& c) {
                     return Outputs{scattering_transform_2d(c.in("x"), c.i("j"), c.i("l"),
                                                            c.i("max_order"))};
                   }));
}

}  // namespace lathe
