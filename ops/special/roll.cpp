// roll: shifts x circularly along dims, y[(i + shift) mod n] = x[i] (torch.roll); empty dims
// rolls the flattened x and restores its shape. Composite: per dim, the concat of the last
// `shift` slices and the first n - shift.
#include "ops/composite.h"

namespace lathe {

namespace {

Tensor roll_axis(const Tensor& x, int64_t shift, int ax) {
  int64_t n = x.shape()[ax];
  if (n == 0) return x;
  int64_t s = ((shift % n) + n) % n;
  if (s == 0) return x;
  return concat({narrow(x, ax, n - s, s), narrow(x, ax, 0, n - s)}, ax);
}

}  // namespace

Tensor roll(const Tensor& x, const std::vector<int64_t>& shifts, const Axes& dims) {
  if (dims.empty()) {
    LATHE_CHECK(shifts.size() == 1, "[roll] without dims, shifts must hold one value, got ",
                shifts.size());
    return reshape(roll_axis(reshape(x, {x.numel()}), shifts[0], 0), x.shape());
  }
  LATHE_CHECK(shifts.size() == dims.size(), "[roll] shifts and dims must have the same length,",
              " got ", shifts.size(), " and ", dims.size());
  Tensor y = x;
  for (size_t i = 0; i < dims.size(); ++i)
    y = roll_axis(y, shifts[i], normalize_axis(dims[i], x.dim(), "roll"));
  return y;
}

LATHE_REGISTER_OPS(roll) {
  registry.add(OpDef("roll", "nn")
                   .summary("x shifted circularly along dims")
                   .input("x", Kind::any)
                   .attr("shifts", std::vector<int64_t>{1}, "shift per dim (may be negative)")
                   .attr("dims", std::vector<int64_t>{}, "axes rolled; empty: the flattened x")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{roll(c.in("x"), c.ints("shifts"), c.ints("dims"))};
                   }));
}

}  // namespace lathe
