// The reference backend's table, for builds that link it into the library (always built).
#ifndef LATHE_REFERENCE_H
#define LATHE_REFERENCE_H

#include "../backend.h"

#ifdef __cplusplus
extern "C" {
#endif

const lathe_backend* lathe_backend_reference(void);

#ifdef __cplusplus
}
#endif

#endif  // LATHE_REFERENCE_H
