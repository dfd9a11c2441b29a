// `lathe bench`: each case runs a lathe step and its peers' steps (libtorch, direct OpenBLAS)
// in the same process, on the same inputs and thread count, and reports median times and ratios.
// The libtorch half (bench_torch.cpp) is compiled only when libtorch is found.
#pragma once

#include <functional>
#include <string>

namespace lathe::bench {

using Step = std::function<void()>;

#ifdef LATHE_WITH_LIBTORCH
// The libtorch version of case `name` (same shapes as the lathe one); empty if none.
Step torch_step(const std::string& name);
void torch_set_threads(int n);
std::string torch_version();
// Peak bytes libtorch's CPU allocator holds above its starting level while `step` runs once
// (a counting allocator is installed for the measurement).
double torch_peak_bytes(const Step& step);
#endif

}  // namespace lathe::bench
