#include "core/storage.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

#include "core/backend_registry.h"
#include "core/checked.h"
#include "core/error.h"

namespace lathe {

namespace {

// Size classes: four per power of two (at most 25% slack), 64 bytes minimum, so a training loop
// that allocates the same shapes every step stops calling the backend after the first step.
size_t size_class(size_t n) {
  if (n <= 64) return 64;
  size_t pow2 = 64;
  while (pow2 * 2 < n) pow2 *= 2;  // pow2 < n <= 2 * pow2
  size_t step = pow2 / 4;
  return (n + step - 1) / step * step;
}

class CachingAllocator {
 public:
  explicit CachingAllocator(Device device) : device_(device) {}

  void* allocate(size_t nbytes, size_t* klass) {
    *klass = size_class(nbytes);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.find(*klass);
    if (it != free_.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      stats_.cached_bytes -= *klass;
      ++stats_.reuses;
      account(*klass);
      return p;
    }
    const Backend& b = backend(device_);
    void* p = nullptr;
    lathe_status s = b.fn().alloc(device_.index, *klass, &p);
    if (s == LATHE_ERR_OUT_OF_MEMORY) {
      release_cached();
      s = b.fn().alloc(device_.index, *klass, &p);
    }
    if (s == LATHE_ERR_OUT_OF_MEMORY)
      LATHE_FAIL("[alloc] out of memory on ", device_, " allocating ", nbytes, " bytes (",
                 stats_.allocated_bytes, " bytes in use)");
    b.check(s, "alloc");
    ++stats_.backend_allocs;
    account(*klass);
    return p;
  }

  void release(void* p, size_t klass) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_[klass].push_back(p);
    stats_.allocated_bytes -= klass;
    stats_.cached_bytes += klass;
  }

  void empty() {
    std::lock_guard<std::mutex> lock(mutex_);
    release_cached();
  }

  MemoryStats stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }

  void reset_peak() {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.peak_bytes = stats_.allocated_bytes;
  }

 private:
  void account(size_t klass) {
    stats_.allocated_bytes += klass;
    if (stats_.allocated_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.allocated_bytes;
  }

  void release_cached() {  // caller holds mutex_
    const Backend& b = backend(device_);
    for (auto& [klass, blocks] : free_) {
      for (void* p : blocks) b.fn().free(device_.index, p);
      stats_.cached_bytes -= klass * blocks.size();
      blocks.clear();
    }
  }

  Device device_;
  std::mutex mutex_;
  std::map<size_t, std::vector<void*>> free_;
  MemoryStats stats_;
};

CachingAllocator& allocator_for(Device device) {
  constexpr int kMaxBackends = 32, kMaxDevices = 16;
  LATHE_CHECK(device.backend >= 0 && device.backend < kMaxBackends && device.index >= 0 &&
                  device.index < kMaxDevices,
              "[alloc] device ", device.backend, ":", device.index, " out of range");
  // Lock-free lookup on the per-op path; never destroyed, since storages held by static tensors
  // may be released during static teardown.
  static std::atomic<CachingAllocator*> slots[kMaxBackends][kMaxDevices];
  static std::mutex mutex;
  std::atomic<CachingAllocator*>& slot = slots[device.backend][device.index];
  CachingAllocator* a = slot.load(std::memory_order_acquire);
  if (!a) {
    std::lock_guard<std::mutex> lock(mutex);
    a = slot.load(std::memory_order_acquire);
    if (!a) {
      a = new CachingAllocator(device);
      slot.store(a, std::memory_order_release);
    }
  }
  return *a;
}

}  // namespace

Storage::Storage(void* data, size_t nbytes, Device device, std::function<void(void*)> release)
    : data_(data), nbytes_(nbytes), device_(device), release_(std::move(release)) {}

Storage::~Storage() {
  if (release_) {
    release_(data_);
  } else if (data_) {
    allocator_for(device_).release(data_, nbytes_);
  }
}

namespace {
size_t read_max_alloc() {
  if (const char* env = std::getenv("LATHE_MAX_ALLOC")) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(env, &end, 10);
    int shift = 0;
    switch (*end) {
      case 'K': case 'k': shift = 10; ++end; break;
      case 'M': case 'm': shift = 20; ++end; break;
      case 'G': case 'g': shift = 30; ++end; break;
      case 'T': case 't': shift = 40; ++end; break;
      default: break;
    }
    LATHE_CHECK(end != env && *end == '\0' && v > 0 && v <= (~0ULL >> shift), "[alloc] "
                "LATHE_MAX_ALLOC must be a positive byte count with an optional K/M/G/T suffix, "
                "got '", std::string(env).substr(0, 32), "'");
    return static_cast<size_t>(v << shift);
  }
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return SIZE_MAX / 2;
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}
}  // namespace

size_t max_alloc_bytes() {
  static const size_t ceiling = read_max_alloc();
  return ceiling;
}

void check_alloc(size_t nbytes, const Shape& shape, const char* dtype, const char* op) {
  LATHE_CHECK(nbytes <= max_alloc_bytes(), "[", op, "] shape ", shape, " of ", dtype, " needs ",
              nbytes, " bytes, more than the single-allocation ceiling of ", max_alloc_bytes(),
              " bytes (LATHE_MAX_ALLOC; default: physical memory)");
}

std::shared_ptr<Storage> Storage::allocate(size_t nbytes, Device device) {
  LATHE_CHECK(nbytes <= max_alloc_bytes(), "[alloc] ", nbytes, " bytes requested, more than the "
              "single-allocation ceiling of ", max_alloc_bytes(), " bytes (LATHE_MAX_ALLOC)");
  size_t klass = 0;
  void* p = allocator_for(device).allocate(nbytes, &klass);
  // nbytes_ records the size class so the block returns to the right free list.
  return std::shared_ptr<Storage>(new Storage(p, klass, device, nullptr));
}

std::shared_ptr<Storage> Storage::wrap(void* data, size_t nbytes, Device device,
                                       std::function<void(void*)> release) {
  if (!release) release = [](void*) {};
  return std::shared_ptr<Storage>(new Storage(data, nbytes, device, std::move(release)));
}

MemoryStats memory_stats(Device device) { return allocator_for(device).stats(); }
void reset_peak_memory(Device device) { allocator_for(device).reset_peak(); }
void empty_cache(Device device) { allocator_for(device).empty(); }

}  // namespace lathe
