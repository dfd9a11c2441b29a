// apply_reduction: the one place 'none' | 'mean' | 'sum' is interpreted.
#include "losses/losses.h"
#include "ops/ops.h"

namespace lathe {

Tensor apply_reduction(const Tensor& loss, const std::string& reduction, const char* op) {
  if (reduction == "none") return loss;
  if (reduction == "sum") return sum(loss);
  LATHE_CHECK(reduction == "mean", "[", op, "] reduction must be none, mean or sum, got '",
              reduction, "'");
  return mean(loss);
}

}  // namespace lathe
