// Fuzz harness: `lathe eval`'s argument parsing and the run it starts. The bytes are split at
// NUL into arguments after `lathe eval`; the op, attributes, shapes, dtypes, backend and --out
// are the fuzzer's. It runs in a scratch directory holding three small inputs (x.npy, f32
// [3, 4]; i.npy, i64 [3]; j.npy, i64 [3, 1]) and refuses arguments holding '/' or '..', so
// nothing is read or written outside it. LATHE_MAX_ALLOC caps one allocation at 64 MB, so a
// huge attribute is the error it should be and not a slow run. LATHE_FUZZ_VERBOSE=1 prints each
// refusal.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "core/npy.h"
#include "lathe.h"
#include "tools/lathe/commands.h"

namespace {

// The scratch directory (made once, with the inputs in it), as an open descriptor.
int scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/lathe-fuzz-eval-" +
                    std::to_string(getpid());
  mkdir(dir.c_str(), 0700);
  lathe::save_npy(dir + "/x.npy",
                  lathe::arange(0.0, 12.0, 1.0, lathe::DType::f32).reshape({3, 4}));
  lathe::save_npy(dir + "/i.npy", lathe::from_vector(std::vector<int64_t>{2, 0, 1}, {3}));
  lathe::save_npy(dir + "/j.npy", lathe::from_vector(std::vector<int64_t>{0, 3, 1}, {3, 1}));
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) std::abort();  // the harness's own failure
  return fd;
}

// Runs `fn` with the scratch directory as the working directory, then returns to the previous
// one (libFuzzer itself reads and writes its corpus by relative path).
template <class Fn>
void in_scratch_dir(Fn fn) {
  static const int scratch = scratch_dir();
  int back = open(".", O_RDONLY | O_DIRECTORY);
  if (back < 0 || fchdir(scratch) != 0) std::abort();
  fn();
  if (fchdir(back) != 0) std::abort();
  close(back);
}

}  // namespace

// Before any static initializer can allocate: lathe reads LATHE_MAX_ALLOC once.
__attribute__((constructor(101))) static void cap_allocations() {
  setenv("LATHE_MAX_ALLOC", "64M", 1);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args = {"lathe", "eval"};
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '/') return 0;  // stay inside the scratch directory
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  args.push_back(current);
  if (args.size() > 64) return 0;
  for (const std::string& a : args)
    if (a.find("..") != std::string::npos) return 0;  // nor above it
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(&a[0]);

  CLI::App app{"lathe", "lathe"};
  app.require_subcommand(1);
  lathe::cli::add_eval(app);
  static const bool verbose = std::getenv("LATHE_FUZZ_VERBOSE") != nullptr;
  in_scratch_dir([&] {
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::Error& e) {  // a usage error, reported as the program would
      if (verbose) std::fprintf(stderr, "usage error: %s\n", e.what());
    } catch (const lathe::Error& e) {
      if (verbose) std::fprintf(stderr, "lathe: %s\n", e.what());
    }
  });
  return 0;
}
