// `lathe info`: version, backends (built in or loaded), their devices, and allocator statistics
// of the default device and of every device with its own memory.
#include <iostream>

#include "core/backend_registry.h"
#include "core/registry.h"
#include "core/storage.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

void add_info(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Version, backends, devices and allocator statistics");
  cmd->footer("Example: LATHE_BACKEND_PATH=/path/liblathe_backend_x.so lathe info");
  cmd->callback([] {
    std::cout << "lathe " << LATHE_VERSION << "\n";
    std::cout << "ops: " << op_registry().all().size() << " registered\n";
    std::cout << "default device: " << default_device() << "\n";
    std::cout << "backends:\n";
    for (const Backend* b : backends()) {
      int n = b->device_count();
      std::cout << "  " << b->name() << ": "
                << (n > 0 ? std::to_string(n) + " device(s)" : std::string("built, no device"))
                << " (" << b->origin() << ")\n    " << b->fn().describe() << "\n";
    }
    // The default device, then every device with memory of its own (a GPU's, say).
    auto print_stats = [](Device device) {
      MemoryStats m = memory_stats(device);
      std::cout << "allocator (" << device << "): " << m.allocated_bytes << " bytes in use, "
                << m.cached_bytes << " cached, peak " << m.peak_bytes << "\n";
    };
    print_stats(default_device());
    for (const Backend* b : backends()) {
      if (b->host_memory()) continue;
      for (int i = 0; i < b->device_count(); ++i) {
        Device device{static_cast<int16_t>(b->id()), static_cast<int16_t>(i)};
        if (device != default_device()) print_stats(device);
      }
    }
  });
}

}  // namespace lathe::cli
