// Random tensors from the counter-based generator every backend shares (backends/philox.h):
// a draw is a pure function of (seed, offset), so the same seed gives the same numbers on every
// backend and thread count. A Generator hands out non-overlapping counter ranges.
#pragma once

#include <cstdint>
#include <mutex>

#include "core/tensor.h"

namespace lathe {

class Generator {
 public:
  explicit Generator(uint64_t seed = 0) : seed_(seed) {}
  void manual_seed(uint64_t seed);
  uint64_t seed() const;
  uint64_t offset() const;
  void set_state(uint64_t seed, uint64_t offset);  // checkpoint restore
  // Reserves n counters and returns the first.
  uint64_t advance(uint64_t n);

 private:
  mutable std::mutex mutex_;
  uint64_t seed_;
  uint64_t offset_ = 0;
};

Generator& default_generator();
void manual_seed(uint64_t seed);

// One draw with explicit counters: dist UNIFORM gives a + (b - a) u, NORMAL a + b z.
Tensor random_draw(lathe_rand_dist dist, const Shape& shape, DType dtype, Device device,
                   uint64_t seed, uint64_t offset, double a, double b);

// Uniform on [0, 1) and standard normal, from `gen` (the default generator when null).
Tensor rand(const Shape& shape, DType dtype = DType::f32, Device device = default_device(),
            Generator* gen = nullptr);
Tensor randn(const Shape& shape, DType dtype = DType::f32, Device device = default_device(),
             Generator* gen = nullptr);
Tensor uniform(const Shape& shape, double low, double high, DType dtype = DType::f32,
               Device device = default_device(), Generator* gen = nullptr);
Tensor normal(const Shape& shape, double mean, double std, DType dtype = DType::f32,
              Device device = default_device(), Generator* gen = nullptr);
Tensor rand_like(const Tensor& t, Generator* gen = nullptr);
Tensor randn_like(const Tensor& t, Generator* gen = nullptr);

}  // namespace lathe
