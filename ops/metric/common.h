// Helpers shared by the metric family's score ops (private: not in lathe.h).
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace lathe {
namespace metric_detail {

// Integer class labels [n], each in [0, classes): an error naming `op` otherwise.
void check_labels(const char* op, const char* name, const Tensor& labels, int64_t n,
                  int64_t classes);

// The points of torch.linspace(lo, hi, steps) in double: lo + i step below the halfway index,
// hi - (steps - 1 - i) step from it (so both ends are exact), step = (hi - lo) / (steps - 1).
std::vector<double> linspace(double lo, double hi, int64_t steps);

// x / max(||x||_2, 1e-12) along `axis` (F.normalize), with a zero gradient at a zero row (the
// norm's sqrt is guarded, so 0 * inf never reaches it).
Tensor unit_rows(const Tensor& x, int64_t axis = -1);

}  // namespace metric_detail
}  // namespace lathe
