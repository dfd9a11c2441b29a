// lathe: list ops, run any op on .npy files, check gradients, inspect backends, benchmark,
// train. `lathe --help`, `lathe CMD --help`.
// Exit codes: 0 success, 1 a failed run, 2 bad input (unknown op, bad file, bad flag), 130 a
// training run stopped by Ctrl-C (after saving its checkpoint).
#include <cstdio>
#include <exception>

#include "core/error.h"
#include "tools/lathe/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"lathe: a small tensor and autograd engine, and its op catalog", "lathe"};
  app.require_subcommand(1);
  app.footer("Run `lathe CMD --help` for a command's options and an example.");
  lathe::cli::add_ops(app);
  lathe::cli::add_eval(app);
  lathe::cli::add_gradcheck(app);
  lathe::cli::add_info(app);
  lathe::cli::add_bench(app);
  lathe::cli::add_train(app);
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
