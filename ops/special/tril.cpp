// tril / triu: the lower (j - i <= k) or upper (j - i >= k) triangle of the last two dims,
// zeros elsewhere; k = diagonal (0: main, > 0: above it, < 0: below). Composite: a where on
// an index mask built from two aranges; the gradient is the same triangle of grad.
#include "ops/composite.h"

namespace lathe {

namespace {

Tensor triangle(const char* op, const Tensor& x, int64_t k, bool lower) {
  LATHE_CHECK(x.dim() >= 2, "[", op, "] x must have at least 2 dims, got shape ", x.shape());
  int64_t rows = x.shape()[x.dim() - 2], cols = x.shape()[x.dim() - 1];
  Tensor i = reshape(arange(0.0, static_cast<double>(rows), 1.0, DType::i64, x.device()),
                     {rows, 1});
  Tensor j = reshape(arange(0.0, static_cast<double>(cols), 1.0, DType::i64, x.device()),
                     {1, cols});
  Tensor offset = j - i;  // [rows, cols]
  Tensor keep = lower ? le(offset, static_cast<double>(k)) : ge(offset, static_cast<double>(k));
  return where(keep, x, scalar_like(0.0, x));
}

}  // namespace

Tensor tril(const Tensor& x, int64_t diagonal) { return triangle("tril", x, diagonal, true); }
Tensor triu(const Tensor& x, int64_t diagonal) { return triangle("triu", x, diagonal, false); }

LATHE_REGISTER_OPS(tril) {
  registry.add(OpDef("tril", "nn")
                   .summary("lower triangle of the last two dims (j - i <= diagonal)")
                   .input("x", Kind::any)
                   .attr("diagonal", 0, "0: main diagonal, > 0 above, < 0 below")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{tril(c.in("x"), c.i("diagonal"))}; }));
  registry.add(OpDef("triu", "nn")
                   .summary("upper triangle of the last two dims (j - i >= diagonal)")
                   .input("x", Kind::any)
                   .attr("diagonal", 0, "0: main diagonal, > 0 above, < 0 below")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) { return Outputs{triu(c.in("x"), c.i("diagonal"))}; }));
}

}  // namespace lathe
