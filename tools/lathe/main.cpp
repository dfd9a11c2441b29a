// lathe: list ops, run any op on .npy files, check gradients, inspect backends, benchmark,
// train. `lathe --help`, `lathe CMD --help`.
// Exit codes: 0 success, 1 a failed run, 2 bad input (unknown op, bad file, bad flag), 130 a
// training run stopped by Ctrl-C (after saving its checkpoint).
#include <cstdio>
#include <exception>
#include <string>

#include <unistd.h>

#include "core/backend_registry.h"
#include "core/error.h"
#include "tools/lathe/commands.h"

namespace {

// The cuda plugin built with this program: installed beside it (<prefix>/bin/lathe,
// <prefix>/<libdir>/lathe/) first, so an installed lathe never picks up a build tree's, else
// from the build tree. Loaded unless LATHE_BACKEND_PATH already brought a cuda backend, so
// `lathe info` reports it and `--device cuda` works; only by the commands that use a device, so
// `--help` and `lathe ops` never pay for cuBLAS.
void load_cuda_plugin() {
#ifdef LATHE_CUDA_PLUGIN
  if (lathe::find_backend("cuda")) return;
  std::string candidates[2] = {"", LATHE_CUDA_PLUGIN};
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<size_t>(n));
    dir = dir.substr(0, dir.find_last_of('/'));
    candidates[0] = dir + "/../" LATHE_CUDA_PLUGIN_INSTALLED;
  }
  for (const std::string& path : candidates) {
    if (path.empty() || access(path.c_str(), R_OK) != 0) continue;
    try {
      lathe::load_backend(path);
    } catch (const lathe::Error& e) {
      std::fprintf(stderr, "lathe: the cuda backend is not available: %s\n", e.what());
    }
    return;
  }
#endif
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lathe: a small tensor and autograd engine, and its op catalog", "lathe"};
  app.require_subcommand(1);
  app.footer("Run `lathe CMD --help` for a command's options and an example.");
  lathe::cli::add_ops(app);
  lathe::cli::add_eval(app);
  lathe::cli::add_gradcheck(app);
  lathe::cli::add_graph(app);
  lathe::cli::add_conformance(app);
  lathe::cli::add_info(app);
  lathe::cli::add_bench(app);
  lathe::cli::add_train(app);
  for (const char* name : {"info", "eval", "bench", "train", "conformance"})  // the commands that use a device
    app.get_subcommand(name)->parse_complete_callback(load_cuda_plugin);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {  // a command's own exit code (train: 130 when stopped)
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const lathe::Error& e) {
    std::fprintf(stderr, "lathe: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lathe: %s\n", e.what());
    return 1;
  }
  return 0;
}
