// stack: joins tensors of one shape along a new axis. Composite: unsqueeze each, then concat.
#include "ops/composite.h"

namespace lathe {

Tensor stack(const std::vector<Tensor>& xs, int64_t axis) {
  LATHE_CHECK(!xs.empty(), "[stack] needs at least one tensor");
  int ax = normalize_axis(axis, xs[0].dim() + 1, "stack");
  std::vector<Tensor> parts;
  for (size_t i = 0; i < xs.size(); ++i) {
    LATHE_CHECK(xs[i].shape() == xs[0].shape(), "[stack] tensor ", i, " has shape ", xs[i].shape(),
                ", tensor 0 has ", xs[0].shape());
    parts.push_back(unsqueeze(xs[i], ax));
  }
  return concat(parts, ax);
}

LATHE_REGISTER_OPS(stack) {
  registry.add(OpDef("stack", "nn")
                   .summary("joins same-shape tensors along a new axis")
                   .input("xs", Kind::any, kVariadic)
                   .attr("axis", 0, "position of the new axis")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{stack(c.ins("xs"), c.i("axis"))}; }));
}

}  // namespace lathe
