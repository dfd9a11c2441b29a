#include "core/random.h"

#include "core/backend_registry.h"
#include "core/kernel.h"

namespace lathe {

void Generator::manual_seed(uint64_t seed) { set_state(seed, 0); }

uint64_t Generator::seed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seed_;
}

uint64_t Generator::offset() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return offset_;
}

void Generator::set_state(uint64_t seed, uint64_t offset) {
  std::lock_guard<std::mutex> lock(mutex_);
  seed_ = seed;
  offset_ = offset;
}

uint64_t Generator::advance(uint64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t first = offset_;
  offset_ += n;
  return first;
}

Generator& default_generator() {
  static Generator* gen = new Generator(0);
  return *gen;
}

void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }

Tensor random_draw(lathe_rand_dist dist, const Shape& shape, DType dtype, Device device,
                   uint64_t seed, uint64_t offset, double a, double b) {
  LATHE_CHECK(is_floating(dtype), "[rand] random draws need a floating dtype, got ", dtype);
  Tensor out = empty(shape, dtype, device);
  const Backend& be = backend(device);
  lathe_view v = view_of(out);
  be.check(be.fn().rand(device.index, dist, seed, offset, &v, a, b), "rand");
  return out;
}

namespace {
Tensor draw(lathe_rand_dist dist, const Shape& shape, DType dtype, Device device, Generator* gen,
            double a, double b) {
  Generator& g = gen ? *gen : default_generator();
  uint64_t seed = g.seed();
  uint64_t offset = g.advance(static_cast<uint64_t>(numel(shape)));
  return random_draw(dist, shape, dtype, device, seed, offset, a, b);
}
}  // namespace

Tensor rand(const Shape& shape, DType dtype, Device device, Generator* gen) {
  return draw(LATHE_RAND_UNIFORM, shape, dtype, device, gen, 0.0, 1.0);
}

Tensor randn(const Shape& shape, DType dtype, Device device, Generator* gen) {
  return draw(LATHE_RAND_NORMAL, shape, dtype, device, gen, 0.0, 1.0);
}

Tensor uniform(const Shape& shape, double low, double high, DType dtype, Device device,
               Generator* gen) {
  return draw(LATHE_RAND_UNIFORM, shape, dtype, device, gen, low, high);
}

Tensor normal(const Shape& shape, double mean, double std, DType dtype, Device device,
              Generator* gen) {
  return draw(LATHE_RAND_NORMAL, shape, dtype, device, gen, mean, std);
}

Tensor rand_like(const Tensor& t, Generator* gen) { return rand(t.shape(), t.dtype(), t.device(), gen); }
Tensor randn_like(const Tensor& t, Generator* gen) {
  return randn(t.shape(), t.dtype(), t.device(), gen);
}

}  // namespace lathe
