// Fused kernels of the cpu backend (backend.h: supports / run_fused). Each is checked against
// the composite it replaces by the conformance tests.
#include <cstring>

#include "backends/cpu/cpu.h"

namespace lathe_cpu {

int32_t supports(int32_t, const lathe_fused_call*) { return 0; }

lathe_status run_fused(int32_t, const lathe_fused_call* call) {
  return fail(LATHE_ERR_UNSUPPORTED, "cpu: no fused kernel '%s'", call->op);
}

}  // namespace lathe_cpu
