// Shared by the fuzz harnesses: the bytes of one input written to a scratch file (the readers
// under test take paths), and the rule every harness enforces: lathe may refuse an input only
// with lathe::Error. Any other exception escapes LLVMFuzzerTestOneInput and aborts, which the
// fuzzer (or the replay driver) reports as a finding, as it does a crash, a leak or a sanitizer
// report.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace lathe::fuzz {

// A per-process scratch file with `data` in it; the path ends in `suffix`.
inline std::string scratch_file(const uint8_t* data, size_t size, const char* suffix) {
  static const std::string path = [suffix] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/lathe-fuzz-" + std::to_string(getpid()) +
           suffix;
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();  // the harness's own failure, not a finding in lathe
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}  // namespace lathe::fuzz
