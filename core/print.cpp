// Printing tensors the way PyTorch users expect to read them:
//   tensor([[ 1.5000, -2.0000],
//           [ 0.2500,  3.0000]], dtype=f32, device=reference, grad_fn=<mul>)
// Large tensors show their first and last three entries along each dim.
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "core/autograd.h"

namespace lathe {

namespace {

constexpr int64_t kSummarizeAbove = 1000;
constexpr int64_t kEdgeItems = 3;

struct Format {
  enum Style { integer, fixed, scientific, boolean } style = fixed;
  int width = 1;
};

std::string format_value(double v, const Format& f) {
  char buf[64];
  switch (f.style) {
    case Format::boolean: return v != 0 ? "true" : "false";
    case Format::integer:
      if (std::isfinite(v)) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
      }
      break;
    case Format::fixed: std::snprintf(buf, sizeof buf, "%.4f", v); return buf;
    case Format::scientific: std::snprintf(buf, sizeof buf, "%.4e", v); return buf;
  }
  return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
}

Format choose_format(const std::vector<double>& values, DType dtype) {
  Format f;
  if (dtype == DType::boolean) f.style = Format::boolean;
  else if (!is_floating(dtype)) f.style = Format::integer;
  else {
    double max_abs = 0, min_abs = INFINITY;
    for (double v : values) {
      if (!std::isfinite(v)) continue;
      max_abs = std::max(max_abs, std::fabs(v));
      if (v != 0) min_abs = std::min(min_abs, std::fabs(v));
    }
    if (max_abs >= 1e8 || (min_abs < 1e-4 && min_abs != INFINITY)) f.style = Format::scientific;
  }
  for (double v : values) f.width = std::max<int>(f.width, format_value(v, f).size());
  return f;
}

// Writes dims [axis..] of the row-major `values` starting at `base`.
void write(std::ostream& os, const std::vector<double>& values, const Shape& shape,
           const Shape& strides, int axis, int64_t base, const Format& f, int indent,
           bool summarize) {
  if (axis == shape.size()) {
    std::string s = format_value(values[base], f);
    os << std::string(f.width - s.size(), ' ') << s;
    return;
  }
  int64_t n = shape[axis];
  bool cut = summarize && n > 2 * kEdgeItems;
  os << '[';
  bool last_axis = axis + 1 == shape.size();
  for (int64_t i = 0; i < n; ++i) {
    if (cut && i == kEdgeItems) {
      os << (last_axis ? "..., " : "...,\n" + std::string(indent + 1, ' '));
      i = n - kEdgeItems;
    }
    write(os, values, shape, strides, axis + 1, base + i * strides[axis], f, indent + 1, summarize);
    if (i + 1 < n) {
      if (last_axis) os << ", ";
      else os << ',' << std::string(shape.size() - axis - 1, '\n') << std::string(indent + 1, ' ');
    }
  }
  os << ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "tensor(undefined)";
  Tensor host = t.detach();
  if (host.dtype() == DType::bf16 || host.dtype() == DType::f16) host = host.to(DType::f32);
  std::vector<double> values = host.to_vector<double>();
  const std::string prefix = "tensor(";
  if (t.dim() == 0) {
    os << prefix << format_value(values[0], choose_format(values, t.dtype()));
  } else {
    os << prefix;
    write(os, values, t.shape(), contiguous_strides(t.shape()), 0, 0,
          choose_format(values, t.dtype()), static_cast<int>(prefix.size()),
          t.numel() > kSummarizeAbove);
  }
  os << ", dtype=" << t.dtype() << ", device=" << t.device();
  if (t.grad_fn()) os << ", grad_fn=<" << t.grad_fn()->name() << ">";
  else if (t.requires_grad()) os << ", requires_grad=true";
  return os << ')';
}

std::string to_string(const Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

}  // namespace lathe
