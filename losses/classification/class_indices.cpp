// class_indices: the range check every class-index loss repeats (nll_loss, multi_margin_loss,
// ...), done once on the host so that an out-of-range index is an error naming the loss and the
// value, not a backend's gather error.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor class_indices(const char* op, const char* name, const Tensor& target, int64_t classes,
                     std::optional<int64_t> ignore_index) {
  LATHE_CHECK(target.defined(), "[", op, "] ", name, " is missing");
  LATHE_CHECK(is_integral(target.dtype()), "[", op, "] ", name,
              " must hold integer class indices, got ", target.dtype(), " ", target.shape());
  Tensor y = target.to(DType::i64);
  for (int64_t v : y.to_vector<int64_t>()) {
    if (ignore_index && v == *ignore_index) continue;
    LATHE_CHECK(v >= 0 && v < classes, "[", op, "] ", name, " holds class index ", v,
                ", outside [0, ", classes, ")",
                ignore_index ? " and not ignore_index " + std::to_string(*ignore_index) : "");
  }
  return y;
}

}  // namespace lathe
