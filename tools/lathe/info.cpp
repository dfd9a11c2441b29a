// `lathe info`: version, backends (built in or loaded) and their devices. No allocator
// statistics: nothing is allocated yet when it runs, so they would always read zero (`lathe
// train` reports the peak memory of its run instead).
#include <iostream>

#include "core/backend_registry.h"
#include "core/registry.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

void add_info(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Version, backends and devices");
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
  });
}

}  // namespace lathe::cli
