/* Philox4x32-10, the counter-based generator every lathe backend draws from (backend.h, rand).
 * Salmon, Moraes, Dror, Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3", SC 2011.
 * Pure function of (counter, key): element k of a draw uses counter offset + k, so results do
 * not depend on threads, blocks or memory layout. Header-only so CUDA can compile it too. */
#ifndef LATHE_PHILOX_H
#define LATHE_PHILOX_H

#include <math.h>
#include <stdint.h>

#ifdef __CUDACC__
#define LATHE_HD __host__ __device__
#else
#define LATHE_HD
#endif

#define LATHE_PHILOX_M0 0xD2511F53u
#define LATHE_PHILOX_M1 0xCD9E8D57u
#define LATHE_PHILOX_W0 0x9E3779B9u
#define LATHE_PHILOX_W1 0xBB67AE85u

/* out = Philox4x32-10(ctr, key) */
static inline LATHE_HD void lathe_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                                                uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = (uint64_t)LATHE_PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)LATHE_PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c1 = (uint32_t)p1;
    c3 = (uint32_t)p0;
    c0 = n0;
    c2 = n2;
    k0 += LATHE_PHILOX_W0;
    k1 += LATHE_PHILOX_W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* The four words for element counter c = offset + k of a draw with `seed`. */
static inline LATHE_HD void lathe_philox_draw(uint64_t seed, uint64_t c, uint32_t out[4]) {
  uint32_t ctr[4] = {(uint32_t)c, (uint32_t)(c >> 32), 0u, 0u};
  uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  lathe_philox4x32_10(ctr, key, out);
}

/* Uniform in [0, 1) with 24 random bits (f32, f16, bf16 outputs). */
static inline LATHE_HD double lathe_uniform24(const uint32_t r[4]) {
  return (double)(r[0] >> 8) * (1.0 / 16777216.0);
}

/* Uniform in [0, 1) with 53 random bits from words (hi, lo). */
static inline LATHE_HD double lathe_uniform53(uint32_t hi, uint32_t lo) {
  uint64_t bits = (((uint64_t)hi << 32) | lo) >> 11;
  return (double)bits * (1.0 / 9007199254740992.0);
}

/* Standard normal by Box-Muller from one draw. */
static inline LATHE_HD double lathe_normal(const uint32_t r[4]) {
  double u1 = 1.0 - lathe_uniform53(r[0], r[1]); /* (0, 1]: log is finite */
  double u2 = lathe_uniform53(r[2], r[3]);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

#endif /* LATHE_PHILOX_H */
