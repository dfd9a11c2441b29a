// The C++ half of the safetensors interop test (tools/interop/safetensors_interop.py drives it):
//   lathe_safetensors_tool write PATH   writes the canonical tensors, metadata producer "lathe"
//   lathe_safetensors_tool check PATH   loads PATH and checks it holds the canonical tensors
//                                       with metadata producer "python"
// Exit codes: 0 ok, 1 mismatch or error (printed).
#include <cstdio>
#include <cstring>

#include "tests/interop/safetensors_canonical.h"

int main(int argc, char** argv) {
  using namespace lathe;
  if (argc != 3 || (std::strcmp(argv[1], "write") != 0 && std::strcmp(argv[1], "check") != 0)) {
    std::fprintf(stderr, "usage: %s write|check PATH\n", argv[0]);
    return 2;
  }
  try {
    if (std::strcmp(argv[1], "write") == 0) {
      save_safetensors(argv[2], interop::canonical_tensors(), interop::canonical_metadata("lathe"));
      return 0;
    }
    std::string mismatch = interop::canonical_mismatch(load_safetensors(argv[2]), "python");
    if (!mismatch.empty()) {
      std::fprintf(stderr, "%s: %s\n", argv[2], mismatch.c_str());
      return 1;
    }
    std::printf("%s: lathe reads every tensor and the metadata\n", argv[2]);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
