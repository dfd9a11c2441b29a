// reshape: same elements, new shape (one extent may be -1). A view when the strides allow it
// (the rule PyTorch's view() uses), otherwise a copy.
// Backward: reshape the gradient back.
#include <optional>

#include "core/checked.h"
#include "ops/prim/common.h"

namespace lathe {

namespace {
Shape resolve_shape(const Shape& x_shape, const Shape& shape) {
  int64_t known = 1, n = numel(x_shape);
  int infer = -1;
  for (int i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      LATHE_CHECK(infer < 0, "[reshape] only one extent may be -1, got ", shape);
      infer = i;
    } else {
      LATHE_CHECK(shape[i] >= 0, "[reshape] invalid extent ", shape[i], " in ", shape);
      known = checked_mul(known, shape[i], "reshape");
    }
  }
  Shape out = shape;
  if (infer >= 0) {
    LATHE_CHECK(known != 0 && n % known == 0, "[reshape] cannot reshape ", x_shape, " (", n,
                " elements) into ", shape);
    out[infer] = n / known;
  }
  LATHE_CHECK(numel(out) == n, "[reshape] cannot reshape ", x_shape, " (", n, " elements) into ",
              shape, " (", numel(out), " elements)");
  return out;
}

// Strides that present x's memory in `shape` without copying, if any exist: walk x's dims from
// the innermost, grouping runs of dims that are contiguous with each other, and split each run
// across the new dims that cover exactly its elements.
std::optional<Shape> view_strides(const Shape& old_shape, const Shape& old_strides,
                                  const Shape& shape) {
  if (old_shape.empty() || numel(old_shape) == 0) return contiguous_strides(shape);
  Shape strides = Shape::filled(shape.size(), 1);
  int view_d = shape.size() - 1;
  int64_t chunk_stride = old_strides.back(), tensor_numel = 1, view_numel = 1;
  for (int d = old_shape.size() - 1; d >= 0; --d) {
    tensor_numel *= old_shape[d];
    bool run_ends = d == 0 || (old_shape[d - 1] != 1 &&
                               old_strides[d - 1] != tensor_numel * chunk_stride);
    if (!run_ends) continue;
    while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
      strides[view_d] = view_numel * chunk_stride;
      view_numel *= shape[view_d];
      --view_d;
    }
    if (view_numel != tensor_numel) return std::nullopt;
    if (d > 0) {
      chunk_stride = old_strides[d - 1];
      tensor_numel = view_numel = 1;
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}
}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
  Shape out = resolve_shape(x.shape(), shape);
  std::optional<Shape> strides = view_strides(x.shape(), x.strides(), out);
  Tensor y;
  if (strides) {
    y = make_view(x, out, *strides, x.offset());
  } else {
    Tensor c = kernel::contiguous_as("reshape", x, x.dtype());
    y = make_view(c, out, contiguous_strides(out), c.offset());
  }
  Shape in_shape = x.shape();
  record("reshape", {x}, {y}, {}, [in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    return {reshape(c.grad(), in_shape)};
  });
  return y;
}

LATHE_REGISTER_OPS(reshape) {
  registry.add(OpDef("reshape", "prim")
                   .summary("same elements in a new shape (a view when possible)")
                   .input("x", Kind::any)
                   .attr("shape", std::vector<int64_t>{}, "new shape; one extent may be -1")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{reshape(c.in("x"), Shape(c.ints("shape")))};
                   }));
}

}  // namespace lathe
