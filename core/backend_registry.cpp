#include "core/backend_registry.h"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>

#include "core/error.h"

extern "C" const lathe_backend* lathe_backend_reference(void);
#ifdef LATHE_WITH_CPU_BACKEND
extern "C" const lathe_backend* lathe_backend_cpu(void);
#endif
#ifdef LATHE_WITH_CUDA_BUILTIN
extern "C" const lathe_backend* lathe_backend_cuda(void);
#endif

namespace lathe {

Backend::Backend(int id, std::string name, const lathe_backend* table, std::string origin)
    : id_(id), name_(std::move(name)), table_(table), origin_(std::move(origin)) {}

void Backend::check(lathe_status status, const char* op) const {
  if (status == LATHE_OK) return;
  const char* msg = table_->last_error();
  LATHE_FAIL("[", op, "] ", name_, ": ", (msg && *msg) ? msg : "failed with status ",
             (msg && *msg) ? "" : std::to_string(static_cast<int>(status)));
}

namespace {

constexpr int kMaxBackends = 32;

// Append-only table: lookups by id are lock-free (ops do one per call); registration locks.
struct Registry {
  std::mutex mutex;
  Backend* slots[kMaxBackends] = {};
  std::atomic<int> count{0};
};

Registry& raw_registry() {
  static Registry* r = new Registry();  // never destroyed: tensors may outlive static teardown
  return *r;
}

int& thread_setting();

// backend.h's function pointers: 20 required, then supports, run_fused and set_num_threads.
// A new pointer in backend.h trips this assert until the list below says whether it is required.
static_assert(sizeof(lathe_backend) == offsetof(lathe_backend, device_count) +
                                           23 * sizeof(lathe_status (*)(void)),
              "backend.h changed its function table: update check_table");

// A partial port fails here, when it registers, rather than with a call through NULL in the
// middle of a computation.
void check_table(const lathe_backend& t, const std::string& name) {
  struct Required {
    const char* fn;
    bool present;
  };
  const Required required[] = {
      {"device_count", t.device_count != nullptr},
      {"describe", t.describe != nullptr},
      {"alloc", t.alloc != nullptr},
      {"free", t.free != nullptr},
      {"copy_from_host", t.copy_from_host != nullptr},
      {"copy_to_host", t.copy_to_host != nullptr},
      {"copy", t.copy != nullptr},
      {"fill", t.fill != nullptr},
      {"unary", t.unary != nullptr},
      {"binary", t.binary != nullptr},
      {"where", t.where != nullptr},
      {"reduce", t.reduce != nullptr},
      {"matmul", t.matmul != nullptr},
      {"gather", t.gather != nullptr},
      {"scatter_add", t.scatter_add != nullptr},
      {"scan", t.scan != nullptr},
      {"sort", t.sort != nullptr},
      {"rand", t.rand != nullptr},
      {"synchronize", t.synchronize != nullptr},
      {"last_error", t.last_error != nullptr},
  };
  for (const Required& r : required)
    LATHE_CHECK(r.present, "[backend] ", name, " leaves ", r.fn, " NULL");
  // The optional fused pair comes whole: supports without run_fused would accept calls that
  // nothing can run.
  LATHE_CHECK((t.supports == nullptr) == (t.run_fused == nullptr), "[backend] ", name, " leaves ",
              t.supports ? "run_fused" : "supports", " NULL (fused kernels need both)");
}

int add_backend(const lathe_backend* table, const std::string& alias, const std::string& origin) {
  LATHE_CHECK(table != nullptr, "[backend] ", origin, " returned no backend table");
  LATHE_CHECK(table->abi_version == LATHE_BACKEND_ABI_VERSION, "[backend] ", origin,
              " has ABI version ", table->abi_version, ", this lathe expects ",
              LATHE_BACKEND_ABI_VERSION);
  LATHE_CHECK(table->struct_size >= sizeof(lathe_backend), "[backend] ", origin,
              " has a function table of ", table->struct_size, " bytes, expected ",
              sizeof(lathe_backend));
  std::string name = alias.empty() ? std::string(table->name ? table->name : "") : alias;
  LATHE_CHECK(!name.empty(), "[backend] ", origin, " has no name");
  check_table(*table, name);
  Registry& r = raw_registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  int n = r.count.load();
  for (int i = 0; i < n; ++i)
    LATHE_CHECK(r.slots[i]->name() != name, "[backend] a backend named '", name,
                "' is already registered (", r.slots[i]->origin(), "); load ", origin,
                " under another name");
  LATHE_CHECK(n < kMaxBackends, "[backend] too many backends (", kMaxBackends, ")");
  r.slots[n] = new Backend(n, name, table, origin);
  r.count.store(n + 1, std::memory_order_release);
  if (table->set_num_threads) table->set_num_threads(thread_setting());
  return n;
}

// dlopens a shared library exporting lathe_backend_entry and registers its table. Does not go
// through registry(): it runs inside registry()'s own initialization (LATHE_BACKEND_PATH).
int load_library(const std::string& path, const std::string& alias) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  LATHE_CHECK(handle != nullptr, "[backend] cannot load '", path, "': ", dlerror());
  auto entry = reinterpret_cast<lathe_backend_entry_fn>(dlsym(handle, "lathe_backend_entry"));
  if (!entry) {
    dlclose(handle);
    LATHE_FAIL("[backend] '", path, "' does not export lathe_backend_entry");
  }
  // The handle stays open for the life of the process: the table's functions live in it.
  return add_backend(entry(), alias, path);
}

void load_from_env() {
  const char* path = std::getenv("LATHE_BACKEND_PATH");
  if (!path || !*path) return;
  std::stringstream ss(path);
  std::string item;
  while (std::getline(ss, item, ':'))
    if (!item.empty()) load_library(item, "");
}

// Built-in backends register on first use; plugins named by LATHE_BACKEND_PATH next. A plugin
// that fails to load is reported once (by the first call that reaches the registry).
Registry& registry() {
  static std::once_flag builtins_once;
  std::call_once(builtins_once, [] {
    add_backend(lathe_backend_reference(), "", "built in");
#ifdef LATHE_WITH_CPU_BACKEND
    add_backend(lathe_backend_cpu(), "", "built in");
#endif
#ifdef LATHE_WITH_CUDA_BUILTIN
    add_backend(lathe_backend_cuda(), "", "built in");
#endif
  });
  static std::once_flag env_once;
  std::call_once(env_once, [] {
    try {
      load_from_env();
    } catch (const Error& e) {
      throw Error(std::string("[backend] LATHE_BACKEND_PATH: ") + e.what());
    }
  });
  return raw_registry();
}

}  // namespace

const Backend& backend(int id) {
  Registry& r = registry();
  LATHE_CHECK(id >= 0 && id < r.count.load(std::memory_order_acquire), "[device] no backend with id ",
              id);
  return *r.slots[id];
}

const Backend& backend(Device device) { return backend(device.backend); }

const Backend* find_backend(const std::string& name) {
  Registry& r = registry();
  int n = r.count.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i)
    if (r.slots[i]->name() == name) return r.slots[i];
  return nullptr;
}

std::vector<const Backend*> backends() {
  Registry& r = registry();
  int n = r.count.load(std::memory_order_acquire);
  return std::vector<const Backend*>(r.slots, r.slots + n);
}

int register_backend(const lathe_backend* table, const std::string& alias,
                     const std::string& origin) {
  registry();
  return add_backend(table, alias, origin);
}

int load_backend(const std::string& path, const std::string& alias) {
  registry();
  return load_library(path, alias);
}

namespace {
int& thread_setting() {
  static int n = [] {
    if (const char* env = std::getenv("LATHE_NUM_THREADS"); env && *env) {
      char* end = nullptr;
      long v = std::strtol(env, &end, 10);
      LATHE_CHECK(*end == '\0' && v >= 1 && v <= 4096, "[threads] LATHE_NUM_THREADS must be a "
                  "positive integer, got '", env, "'");
      return static_cast<int>(v);
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? static_cast<int>(cores) : 1;
  }();
  return n;
}
}  // namespace

void set_num_threads(int n) {
  LATHE_CHECK(n >= 1, "[threads] need at least one thread, got ", n);
  thread_setting() = n;
  for (const Backend* b : backends())
    if (b->fn().set_num_threads) b->fn().set_num_threads(n);
}

int num_threads() { return thread_setting(); }

void check_device(Device device, const char* op) {
  const Backend& b = backend(device);
  int n = b.device_count();
  LATHE_CHECK(n > 0, "[", op, "] ", b.name(), ": built, no device");
  LATHE_CHECK(device.index >= 0 && device.index < n, "[", op, "] ", b.name(), " has ", n,
              " device(s); ", device, " does not exist");
}

void synchronize(Device device) {
  check_device(device, "synchronize");
  const Backend& b = backend(device);
  b.check(b.fn().synchronize(device.index), "synchronize");
}

// ---- Device ----

Device Device::parse(const std::string& text) {
  std::string name = text;
  int index = 0;
  auto colon = text.find(':');
  if (colon != std::string::npos) {
    name = text.substr(0, colon);
    std::string num = text.substr(colon + 1);
    LATHE_CHECK(!num.empty() && num.find_first_not_of("0123456789") == std::string::npos,
                "[device] bad device '", text, "' (expected NAME or NAME:INDEX)");
    index = std::stoi(num);
  }
  const Backend* b = find_backend(name);
  if (!b) {
    std::string known;
    for (const Backend* k : backends()) known += (known.empty() ? "" : ", ") + k->name();
    LATHE_FAIL("[device] no backend named '", name, "' (available: ", known, ")");
  }
  return Device{static_cast<int16_t>(b->id()), static_cast<int16_t>(index)};
}

Device Device::reference() { return parse("reference"); }
Device Device::cpu(int index) { return parse("cpu:" + std::to_string(index)); }
Device Device::cuda(int index) { return parse("cuda:" + std::to_string(index)); }

std::string Device::str() const {
  const Backend& b = lathe::backend(static_cast<int>(backend));
  return index == 0 && b.host_memory() ? b.name() : b.name() + ":" + std::to_string(index);
}

std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.str(); }

namespace {
Device& default_device_slot() {
  static Device device = [] {
    if (const char* env = std::getenv("LATHE_DEVICE"); env && *env) return Device::parse(env);
    return find_backend("cpu") ? Device::parse("cpu") : Device::parse("reference");
  }();
  return device;
}
}  // namespace

Device default_device() { return default_device_slot(); }
void set_default_device(Device device) {
  check_device(device, "set_default_device");
  default_device_slot() = device;
}

}  // namespace lathe
