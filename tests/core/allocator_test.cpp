// The caching allocator: blocks are reused, statistics add up, the cache can be emptied.
#include <catch2/catch.hpp>

#include "lathe.h"

using namespace lathe;

TEST_CASE("freed blocks are reused instead of reallocated", "[unit][allocator]") {
  Device dev = Device::reference();
  { Tensor warm = empty({1000}, DType::f32, dev); }
  MemoryStats before = memory_stats(dev);
  for (int i = 0; i < 100; ++i) {
    Tensor t = empty({1000}, DType::f32, dev);
    (void)t;
  }
  MemoryStats after = memory_stats(dev);
  CHECK(after.backend_allocs == before.backend_allocs);
  CHECK(after.reuses >= before.reuses + 100);
  CHECK(after.allocated_bytes == before.allocated_bytes);
}

TEST_CASE("memory does not grow over repeated training-like steps", "[unit][allocator]") {
  Device dev = Device::reference();
  Tensor w = randn({64, 32}, DType::f32, dev).requires_grad_();
  Tensor x = randn({16, 32}, DType::f32, dev);
  auto step = [&] {
    Tensor loss = mean(tanh(matmul(x, w.t())));
    loss.backward();
    NoGradGuard no_grad;
    w.sub_(w.grad() * 0.1);
    w.zero_grad();
  };
  for (int i = 0; i < 3; ++i) step();
  MemoryStats settled = memory_stats(dev);
  for (int i = 0; i < 200; ++i) step();
  MemoryStats after = memory_stats(dev);
  CHECK(after.allocated_bytes == settled.allocated_bytes);
  CHECK(after.backend_allocs == settled.backend_allocs);
}

TEST_CASE("empty_cache returns cached blocks and keeps stats consistent", "[unit][allocator]") {
  Device dev = Device::reference();
  { Tensor t = empty({1 << 16}, DType::f64, dev); }
  CHECK(memory_stats(dev).cached_bytes > 0);
  empty_cache(dev);
  CHECK(memory_stats(dev).cached_bytes == 0);
  Tensor keep = ones({10}, DType::f32, dev);
  reset_peak_memory(dev);
  CHECK(memory_stats(dev).peak_bytes == memory_stats(dev).allocated_bytes);
  CHECK(keep.to_vector<float>()[9] == 1.0f);
}
