// The reference backend's linear-algebra kernels (linalg.cpp) and DFT (fft.cpp), its only
// run_fused calls: the reference has no fusions, but these kernels have no composite to fall
// back on.
#pragma once

#include "backends/backend.h"

namespace lathe_reference {

int32_t linalg_supports(int32_t device, const lathe_fused_call* call);
lathe_status linalg_run(int32_t device, const lathe_fused_call* call);
bool fft_supports(const lathe_fused_call* call);
lathe_status fft_run(const lathe_fused_call* call);

}  // namespace lathe_reference
