// one_hot: y[..., c] = (labels[...] == c) as i64, c in [0, num_classes); num_classes = -1 uses
// max(labels) + 1. Composite (a comparison with arange); labels outside the range are an error.
#include "core/checked.h"
#include "ops/composite.h"

namespace lathe {

Tensor one_hot(const Tensor& labels, int64_t num_classes) {
  LATHE_CHECK(is_integral(labels.dtype()), "[one_hot] labels must be an integer tensor, got ",
              labels.dtype());
  int64_t lo = 0, hi = -1;
  if (labels.numel() > 0) {
    lo = static_cast<int64_t>(min(labels).item());
    hi = static_cast<int64_t>(max(labels).item());
  }
  if (num_classes < 0) num_classes = hi + 1;
  LATHE_CHECK(lo >= 0 && hi < num_classes, "[one_hot] labels must lie in [0, ", num_classes,
              "), got values in [", lo, ", ", hi, "]");
  // Size the output before building anything: num_classes = 2^31 must be an error, not 20 GB.
  Shape out = labels.shape();
  out.push_back(num_classes);
  check_alloc(checked_nbytes(out, dtype_size(DType::i64), "one_hot"), out, "i64", "one_hot");
  Tensor classes = arange(num_classes, labels.dtype(), labels.device());
  return cast(eq(unsqueeze(labels, -1), classes), DType::i64);
}

LATHE_REGISTER_OPS(one_hot) {
  registry.add(OpDef("one_hot", "nn")
                   .summary("one-hot encoding of integer labels (i64)")
                   .input("labels", Kind::integer)
                   .attr("num_classes", -1, "-1: max(labels) + 1")
                   .output("y", Kind::integer)
                   .run([](const OpCall& c) {
                     return Outputs{one_hot(c.in("labels"), c.i("num_classes"))};
                   }));
}

}  // namespace lathe
