/* f16 (IEEE binary16) and bf16 (bfloat16) storage conversions, round to nearest even.
 * Backends compute these types in f32; only loads and stores convert. Header-only (CUDA too). */
#ifndef LATHE_HALF_H
#define LATHE_HALF_H

#include <stdint.h>
#include <string.h>

#ifdef __CUDACC__
#define LATHE_HALF_HD __host__ __device__
#else
#define LATHE_HALF_HD
#endif

static inline LATHE_HALF_HD uint32_t lathe_f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static inline LATHE_HALF_HD float lathe_bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static inline LATHE_HALF_HD float lathe_bf16_to_f32(uint16_t h) {
  return lathe_bits_f32((uint32_t)h << 16);
}

static inline LATHE_HALF_HD uint16_t lathe_f32_to_bf16(float f) {
  uint32_t u = lathe_f32_bits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40u); /* quiet NaN */
  u += 0x7fffu + ((u >> 16) & 1u);
  return (uint16_t)(u >> 16);
}

static inline LATHE_HALF_HD float lathe_f16_to_f32(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t man = h & 0x3ffu;
  if (exp == 0x1fu) return lathe_bits_f32(sign | 0x7f800000u | (man << 13)); /* inf, NaN */
  if (exp == 0) {
    if (man == 0) return lathe_bits_f32(sign);
    /* subnormal: value = man * 2^-24 */
    float v = (float)man * (1.0f / 16777216.0f);
    return sign ? -v : v;
  }
  return lathe_bits_f32(sign | ((exp + 112u) << 23) | (man << 13));
}

static inline LATHE_HALF_HD uint16_t lathe_f32_to_f16(float f) {
  uint32_t u = lathe_f32_bits(f);
  uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
  uint32_t a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return (uint16_t)(sign | 0x7e00u);   /* NaN */
  if (a >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);  /* rounds to >= 65520: inf */
  if (a < 0x38800000u) {
    /* result is subnormal or zero: round a * 2^24 to an integer, ties to even */
    float v = lathe_bits_f32(a) * 16777216.0f; /* exact: a < 2^-14 so v < 1024 */
    uint32_t i = (uint32_t)v;
    float frac = v - (float)i;
    if (frac > 0.5f || (frac == 0.5f && (i & 1u))) ++i;
    return (uint16_t)(sign | i);
  }
  /* normal: rebias exponent, round mantissa from 23 to 10 bits */
  uint32_t r = a - 0x38000000u; /* exponent bias 127 -> 15 */
  r += 0xfffu + ((r >> 13) & 1u);
  return (uint16_t)(sign | (r >> 13));
}

#endif /* LATHE_HALF_H */
