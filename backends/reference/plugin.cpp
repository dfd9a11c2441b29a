// Entry point of the reference backend built as a runtime-loadable plugin (shared library only;
// the in-library build calls lathe_backend_reference directly).
#include "reference.h"

extern "C" __attribute__((visibility("default"))) const lathe_backend* lathe_backend_entry(void) {
  return lathe_backend_reference();
}
