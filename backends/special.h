/* Special functions the C library lacks (digamma, polygamma, erfinv), written once for every
 * backend: header-only and plain C-style, so nvcc compiles the same code for the device
 * (LATHE_HD) and each backend gets the same values at the poles. Computed in double; f32
 * callers round the result.
 *
 * digamma(x) = d/dx log Gamma(x). x >= 10: the asymptotic series
 *   ln x - 1/(2x) - sum_k B_2k / (2k x^2k)  (7 terms: the next is below 1e-16 relative);
 * 0 < x < 10: the recurrence psi(x) = psi(x + 1) - 1/x; x < 0: the reflection
 *   psi(x) = psi(1 - x) - pi / tan(pi x), with tan taken of the fractional part of x (tan has
 *   period 1, and pi * x loses digits for large |x|).
 * Poles, as PyTorch: digamma(+0) = -inf, digamma(-0) = +inf, NaN at -1, -2, ...
 *
 * polygamma(n, x) = d^n/dx^n digamma(x) = (-1)^(n+1) n! sum_k 1/(x + k)^(n+1), n >= 1.
 * x >= 15 + 2n: the asymptotic series (-1)^(n+1) [(n-1)!/x^n + n!/(2 x^(n+1)) +
 * sum_k B_2k (2k+n-1)! / ((2k)! x^(2k+n))], 7 terms (below 1e-14 relative); below that
 * (negative x included), the recurrence psi_n(x) = psi_n(x + 1) + (-1)^(n+1) n! / x^(n+1).
 * At the poles 0, -1, -2, ...: (-1)^(n+1) inf (PyTorch's value: +inf for trigamma).
 *
 * erfinv(y): M. Giles, "Approximating the erfinv function", GPU Computing Gems (2010), single-
 * precision polynomial in w = -log(1 - y^2), then three Newton steps (each squares the relative
 * error; the approximation is ~1e-7 for w < 5 but only ~1e-4 out at 1 - y = 1e-10, beyond f32's
 * range, so three steps, checked against mpmath: 1e-16 there). erfinv(+-1) = +-inf, NaN outside
 * [-1, 1]. PyTorch 1.13's f64 erfinv is off by ~1e-8 relative at 1 - y = 1e-10. */
#ifndef LATHE_SPECIAL_H
#define LATHE_SPECIAL_H

#include <math.h>

#ifdef __CUDACC__
#define LATHE_SPECIAL_HD __host__ __device__
#else
#define LATHE_SPECIAL_HD
#endif

#define LATHE_SPECIAL_PI 3.14159265358979323846

static inline LATHE_SPECIAL_HD double lathe_digamma_positive(double x) {
  double result = 0.0;
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double z = 1.0 / (x * x);
  /* B_2k / (2k): 1/12, -1/120, 1/252, -1/240, 1/132, -691/32760, 1/12 */
  const double series =
      z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 -
      z * (691.0 / 32760 - z * (1.0 / 12)))))));
  return result + log(x) - 0.5 / x - series;
}

static inline LATHE_SPECIAL_HD double lathe_digamma(double x) {
  if (x != x) return x;
  if (x == 0.0) return signbit(x) ? INFINITY : -INFINITY;
  if (x < 0.0) {
    if (x == floor(x)) return NAN;
    const double frac = x - trunc(x);
    return lathe_digamma_positive(1.0 - x) - LATHE_SPECIAL_PI / tan(LATHE_SPECIAL_PI * frac);
  }
  if (x == INFINITY) return x;
  return lathe_digamma_positive(x);
}

static inline LATHE_SPECIAL_HD double lathe_polygamma(int n, double x) {
  if (x != x) return x;
  const double sign = n % 2 == 1 ? 1.0 : -1.0; /* (-1)^(n+1) */
  if (x <= 0.0 && x == floor(x)) return sign * INFINITY;
  if (x == INFINITY) return 0.0;
  double n_fact = 1.0; /* n! */
  for (int i = 2; i <= n; ++i) n_fact *= i;
  double result = 0.0;
  const double start = 15.0 + 2.0 * n; /* the series' terms grow with n */
  while (x < start) {
    result += n_fact / pow(x, n + 1);
    x += 1.0;
  }
  /* (n-1)!/x^n + n!/(2 x^(n+1)) + sum_k B_2k (2k+n-1)! / ((2k)! x^(2k+n)) */
  const double b2k[7] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730,
                         7.0 / 6};
  const double inv = 1.0 / x;
  double x_pow = pow(inv, n);  /* x^-(2k+n) as k goes */
  double tail = n_fact / n * x_pow + 0.5 * n_fact * x_pow * inv;
  double ratio = n_fact / n;  /* (2k+n-1)! / (2k)!, starting at k = 0: (n-1)! */
  for (int k = 1; k <= 7; ++k) {
    ratio *= (double)(2 * k + n - 2) * (2 * k + n - 1) / ((2.0 * k - 1) * (2.0 * k));
    x_pow *= inv * inv;
    tail += b2k[k - 1] * ratio * x_pow;
  }
  return sign * (result + tail);
}

static inline LATHE_SPECIAL_HD double lathe_erfinv(double y) {
  if (y != y || y < -1.0 || y > 1.0) return NAN;
  if (y == 1.0) return INFINITY;
  if (y == -1.0) return -INFINITY;
  double w = -log((1.0 - y) * (1.0 + y));
  double p;
  if (w < 5.0) {
    w -= 2.5;
    p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w;
    p = -3.5233877e-06 + p * w;
    p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = sqrt(w) - 3.0;
    p = -0.000200214257;
    p = 0.000100950558 + p * w;
    p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  double x = p * y;
  /* Newton on erf(x) = y; for |y| > 0.5 on erfc(|x|) = 1 - |y| instead (exact by Sterbenz),
   * since erf near 1 has lost the digits that set x. d erf / dx = 2/sqrt(pi) e^(-x^2). */
  const double a = fabs(y);
  for (int step = 0; step < 3; ++step) {
    const double slope = 1.1283791670955126 * exp(-x * x);
    if (a > 0.5) {
      const double ax = fabs(x) + (erfc(fabs(x)) - (1.0 - a)) / slope;
      x = y < 0 ? -ax : ax;
    } else {
      x -= (erf(x) - y) / slope;
    }
  }
  return x;
}

#endif /* LATHE_SPECIAL_H */
