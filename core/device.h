// A device is a backend (by registry id) plus a device ordinal within it: "reference", "cpu",
// "cuda:1". Host backends (reference, cpu) share ordinary memory, so moving a tensor between
// them is a copy on the host.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace lathe {

struct Device {
  int16_t backend = 0;  // index into the backend registry
  int16_t index = 0;

  static Device reference();
  static Device cpu(int index = 0);
  static Device cuda(int index = 0);
  // "reference", "cpu", "cuda", "cuda:1", or any registered backend name.
  static Device parse(const std::string& name);

  std::string str() const;
  bool operator==(const Device& o) const { return backend == o.backend && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
};

// The device factories use when none is given: LATHE_DEVICE if set, else "cpu" when that
// backend is built in, else "reference".
Device default_device();
void set_default_device(Device device);

std::ostream& operator<<(std::ostream& os, const Device& d);

}  // namespace lathe
