// The backend registry: backends compiled into the library plus those loaded from shared
// libraries (LATHE_BACKEND_PATH or load_backend()). One of the two global registries.
#pragma once

#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/device.h"

namespace lathe {

class Backend {
 public:
  Backend(int id, std::string name, const lathe_backend* table, std::string origin);

  int id() const { return id_; }
  const std::string& name() const { return name_; }
  const std::string& origin() const { return origin_; }  // "built in" or the library's path
  const lathe_backend& fn() const { return *table_; }
  bool host_memory() const { return table_->flags & LATHE_BACKEND_HOST_MEMORY; }
  int device_count() const { return table_->device_count(); }

  // Throws lathe::Error "[op] <backend>: <message>" unless status is LATHE_OK.
  void check(lathe_status status, const char* op) const;

 private:
  int id_;
  std::string name_;
  const lathe_backend* table_;
  std::string origin_;
};

const Backend& backend(int id);
const Backend& backend(Device device);
const Backend* find_backend(const std::string& name);  // nullptr when absent
std::vector<const Backend*> backends();

// Registers a backend table under its own name (or `alias`); returns its id.
int register_backend(const lathe_backend* table, const std::string& alias = "",
                     const std::string& origin = "built in");

// dlopens a shared library exporting lathe_backend_entry and registers it (under `alias` when
// given, e.g. to load a second copy of a built-in backend for testing); returns its id.
int load_backend(const std::string& path, const std::string& alias = "");

// Checks the device exists and has a usable device ordinal; throws a clear Error otherwise
// ("[device] cuda: built, no device").
void check_device(Device device, const char* op);

// Waits until every kernel queued on `device` has finished (a no-op on host backends, whose
// kernels finish before they return); a kernel's failure surfaces here as an Error. Timing GPU
// work needs it; reading a tensor (item, to_vector) synchronizes by itself.
void synchronize(Device device);

// Threads for every backend that has a thread setting (and the libraries they call: OpenBLAS,
// oneDNN). LATHE_NUM_THREADS sets the starting value; the default is the number of cores.
void set_num_threads(int n);
int num_threads();

}  // namespace lathe
