// Entry point of the cuda backend built as a run-time plugin (liblathe_backend_cuda.so).
#include "backends/backend.h"

extern "C" const lathe_backend* lathe_backend_cuda(void);

extern "C" __attribute__((visibility("default"))) const lathe_backend* lathe_backend_entry(void) {
  return lathe_backend_cuda();
}
