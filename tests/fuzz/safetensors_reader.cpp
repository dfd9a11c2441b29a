// Fuzz harness: the safetensors reader (core/safetensors.cpp) on arbitrary bytes. What it
// accepts is written back and must read back with the same names, shapes and dtypes.
#include "core/safetensors.h"
#include "lathe.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = lathe::fuzz::scratch_file(data, size, ".safetensors");
  try {
    lathe::SafetensorsFile f = lathe::load_safetensors(path, lathe::Device::reference());
    lathe::save_safetensors(path + ".out.safetensors", f.tensors, f.metadata);
    lathe::SafetensorsFile back =
        lathe::load_safetensors(path + ".out.safetensors", lathe::Device::reference());
    if (back.tensors.size() != f.tensors.size() || back.metadata != f.metadata) std::abort();
    for (const auto& [name, t] : f.tensors) {
      const lathe::Tensor& b = back.tensors.at(name);
      if (b.shape() != t.shape() || b.dtype() != t.dtype()) std::abort();
    }
  } catch (const lathe::Error&) {
  }
  return 0;
}
