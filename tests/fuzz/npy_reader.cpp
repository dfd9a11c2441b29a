// Fuzz harness: the .npy reader (core/npy.cpp) on arbitrary bytes. A file it accepts must also
// survive being used: the tensor is summed and written back out.
#include "core/npy.h"
#include "lathe.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = lathe::fuzz::scratch_file(data, size, ".npy");
  try {
    lathe::Tensor t = lathe::load_npy(path, lathe::Device::reference());
    if (t.dtype() != lathe::DType::boolean) (void)lathe::sum(t.to(lathe::DType::f64)).item();
    lathe::save_npy(path + ".out.npy", t);
    lathe::Tensor back = lathe::load_npy(path + ".out.npy", lathe::Device::reference());
    if (back.shape() != t.shape() || back.dtype() != t.dtype()) std::abort();  // no round trip
  } catch (const lathe::Error&) {
  }
  return 0;
}
