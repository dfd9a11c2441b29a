#include "ops/norm/common.h"

namespace lathe::norms {

DType stat_dtype(const Tensor& x) {
  return x.dtype() == DType::f16 || x.dtype() == DType::bf16 ? DType::f32 : x.dtype();
}

Tensor as_dtype(const Tensor& t, DType d) {
  return !t.defined() || t.dtype() == d ? t : cast(t, d);
}

Tensor channel_param(const char* op, const char* name, const Tensor& p, const Tensor& x) {
  check_floating(op, name, p);
  Shape keep = Shape::filled(x.dim(), 1);
  keep[1] = x.shape()[1];
  bool flat = p.shape() == Shape{x.shape()[1]};
  LATHE_CHECK(flat || p.shape() == keep, "[", op, "] ", name, " must have shape [", x.shape()[1],
              "] or ", keep, " for input ", x.shape(), ", got ", p.shape());
  return flat ? reshape(p, keep) : p;
}

Axes axes_except(int ndim, int keep) {
  Axes axes;
  for (int i = 0; i < ndim; ++i)
    if (i != keep) axes.push_back(i);
  return axes;
}

namespace {
Shape leading(const Tensor& x) {
  Shape lead = x.shape();
  lead.erase(lead.size() - 1);
  return lead;
}
}  // namespace

Tensor as_rows(const char* op, const Tensor& x) {
  LATHE_CHECK(x.dim() >= 1, "[", op, "] expected x [..., C], got a 0-d tensor");
  return reshape(x, {numel(leading(x)), x.shape().back()});
}

RowMask row_mask(const char* op, const Tensor& pad_mask, const Tensor& x) {
  Shape lead = leading(x);
  int64_t rows = numel(lead);
  if (!pad_mask.defined()) return {Tensor(), rows};
  LATHE_CHECK(pad_mask.dtype() == DType::boolean, "[", op,
              "] pad_mask must be bool (true = padding), got ", pad_mask.dtype());
  LATHE_CHECK(pad_mask.shape() == lead, "[", op, "] pad_mask must have shape ", lead,
              " (x without its last dim), got ", pad_mask.shape());
  Tensor keep = reshape(logical_not(pad_mask), {rows, 1});
  int64_t count = static_cast<int64_t>(sum(cast(keep, DType::f64)).item());
  LATHE_CHECK(count > 0, "[", op, "] every row is padding: the statistics are undefined");
  return {keep, count};
}

Tensor masked_row_mean(const Tensor& t, const RowMask& mask) {
  if (!mask.keep.defined()) return mean(t, {0});
  return sum(where(mask.keep, t, 0.0), {0}) / static_cast<double>(mask.count);
}

}  // namespace lathe::norms
