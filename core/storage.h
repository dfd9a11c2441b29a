// Storage: one block of device memory shared by a tensor and all of its views. It carries the
// version counter that in-place ops bump, so a view and its base see the same version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/device.h"

namespace lathe {

class Storage {
 public:
  // Memory from the caching allocator of `device`.
  static std::shared_ptr<Storage> allocate(size_t nbytes, Device device);
  // Memory the caller owns (from_blob); `release` runs when the last tensor lets go (may be empty).
  static std::shared_ptr<Storage> wrap(void* data, size_t nbytes, Device device,
                                       std::function<void(void*)> release);

  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  Storage(void* data, size_t nbytes, Device device, std::function<void(void*)> release);

  void* data_;
  size_t nbytes_;
  Device device_;
  uint64_t version_ = 0;
  std::function<void(void*)> release_;  // empty: return to the caching allocator
};

// Caching allocator statistics for one device.
struct MemoryStats {
  size_t allocated_bytes = 0;  // held by live storages (rounded to size classes)
  size_t cached_bytes = 0;     // freed by tensors, kept for reuse
  size_t peak_bytes = 0;       // max of allocated_bytes
  uint64_t backend_allocs = 0; // calls that reached the backend's alloc
  uint64_t reuses = 0;         // allocations served from the cache
};

MemoryStats memory_stats(Device device);
void reset_peak_memory(Device device);
// Returns every cached block of `device` to its backend.
void empty_cache(Device device);

}  // namespace lathe
