// repeat_interleave: each slice of x along dim repeated `repeats` times in place,
// [a, b] -> [a, a, b, b] (torch.repeat_interleave with an int). Composite: an index_select with
// the index 0, 0, 1, 1, ...; the gradient sums each slice's copies (scatter_add).
#include "core/checked.h"
#include "ops/composite.h"

namespace lathe {

Tensor repeat_interleave(const Tensor& x, int64_t repeats, int64_t dim) {
  LATHE_CHECK(repeats >= 0, "[repeat_interleave] repeats must be >= 0, got ", repeats);
  int ax = normalize_axis(dim, x.dim(), "repeat_interleave");
  int64_t n = x.dim() ? x.shape()[ax] : 1;
  // repeats comes from an attribute: the host index of n * repeats entries must fit the
  // allocation ceiling before it is built (repeats = 2^40 ran out of memory there).
  int64_t total = checked_mul(n, repeats, "repeat_interleave");
  check_alloc(checked_nbytes({total}, sizeof(int64_t), "repeat_interleave"), {total}, "i64",
              "repeat_interleave");
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(total));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t r = 0; r < repeats; ++r) index.push_back(i);
  Tensor idx = from_vector(index, {static_cast<int64_t>(index.size())}, x.device());
  if (x.dim() == 0) return index_select(reshape(x, {1}), idx, 0);
  return index_select(x, idx, ax);
}

LATHE_REGISTER_OPS(repeat_interleave) {
  registry.add(OpDef("repeat_interleave", "nn")
                   .summary("each slice along dim repeated in place: [a, b] -> [a, a, b, b]")
                   .input("x", Kind::any)
                   .attr("repeats", 2, "copies of each slice")
                   .attr("dim", 0, "axis repeated along")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{repeat_interleave(c.in("x"), c.i("repeats"), c.i("dim"))};
                   }));
}

}  // namespace lathe
