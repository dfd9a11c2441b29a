// Entry point of the cpu backend built as a run-time plugin (liblathe_backend_cpu.so).
#include "backends/backend.h"

extern "C" const lathe_backend* lathe_backend_cpu(void);

extern "C" __attribute__((visibility("default"))) const lathe_backend* lathe_backend_entry(void) {
  return lathe_backend_cpu();
}
