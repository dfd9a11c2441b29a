/* The fused-kernel names of backends/fused_ops.def as an enum, and the one lookup from the name
 * in a lathe_fused_call to it, so a backend switches on an enum instead of comparing strings.
 * Header-only C (like philox.h and half.h): usable from C, C++ and CUDA host code. The names
 * themselves stay the ABI (backend.h): a plugin built against another list still loads; a name it
 * does not know maps to LATHE_FUSED_NONE, which it declines. */
#ifndef LATHE_FUSED_OPS_H
#define LATHE_FUSED_OPS_H

#include <string.h>

typedef enum lathe_fused_op {
  LATHE_FUSED_NONE = -1,
#define LATHE_FUSED_OP(id, name) LATHE_FUSED_##id,
#include "backends/fused_ops.def"
#undef LATHE_FUSED_OP
  LATHE_FUSED_COUNT
} lathe_fused_op;

static const char* const lathe_fused_op_names[LATHE_FUSED_COUNT] = {
#define LATHE_FUSED_OP(id, name) name,
#include "backends/fused_ops.def"
#undef LATHE_FUSED_OP
};

/* The kernel named `name`, or LATHE_FUSED_NONE (also for NULL). */
static inline lathe_fused_op lathe_fused_op_of(const char* name) {
  if (name == NULL) return LATHE_FUSED_NONE;
  for (int i = 0; i < LATHE_FUSED_COUNT; ++i)
    if (strcmp(name, lathe_fused_op_names[i]) == 0) return (lathe_fused_op)i;
  return LATHE_FUSED_NONE;
}

#endif /* LATHE_FUSED_OPS_H */
