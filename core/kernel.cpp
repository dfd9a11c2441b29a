#include "core/kernel.h"

#include "backends/fused_ops.h"
#include "core/checked.h"

namespace lathe::kernel {

const Backend& backend_for(const char* op, std::initializer_list<Tensor> tensors) {
  const Tensor* first = nullptr;
  for (const Tensor& t : tensors) {
    if (!t.defined()) continue;
    if (!first) {
      first = &t;
      continue;
    }
    LATHE_CHECK(t.device() == first->device(), "[", op, "] expected tensors on one device, got ",
                first->device(), " and ", t.device());
  }
  LATHE_CHECK(first != nullptr, "[", op, "] no tensor operands");
  return backend(first->device());
}

Tensor empty(const Shape& shape, DType dtype, Device device) {
  size_t nbytes = checked_nbytes(shape, dtype_size(dtype), "empty");
  check_alloc(nbytes, shape, dtype_name(dtype), "empty");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = Storage::allocate(nbytes, device);
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  impl->dtype = dtype;
  return Tensor(std::move(impl));
}

Tensor unary(const char* op, lathe_unary_op k, const Tensor& x, double a, double b) {
  const Backend& be = backend(x.device());
  Tensor out = kernel::empty(x.shape(), x.dtype(), x.device());
  lathe_view in = view_of(x), o = view_of(out);
  be.check(be.fn().unary(x.device().index, k, &in, &o, a, b), op);
  return out;
}

Tensor binary(const char* op, lathe_binary_op k, const Tensor& a, const Tensor& b, DType compute,
              DType out_dtype) {
  const Backend& be = backend_for(op, {a, b});
  Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
  Tensor ac = a.dtype() == compute ? a : contiguous_as(op, a, compute);
  Tensor bc = b.dtype() == compute ? b : contiguous_as(op, b, compute);
  Tensor out = kernel::empty(shape, out_dtype, a.device());
  lathe_view va = view_of(ac, shape), vb = view_of(bc, shape), vo = view_of(out);
  be.check(be.fn().binary(a.device().index, k, &va, &vb, &vo), op);
  return out;
}

void copy(const char* op, const Tensor& src, const Tensor& dst) {
  const Backend& be = backend_for(op, {src, dst});
  broadcast_shapes(src.shape(), dst.shape(), op);
  lathe_view s = view_of(src, dst.shape()), d = view_of(dst);
  be.check(be.fn().copy(dst.device().index, &s, &d), op);
}

Tensor contiguous_as(const char* op, const Tensor& x, DType dtype) {
  if (x.dtype() == dtype && x.is_contiguous()) return x;
  Tensor out = kernel::empty(x.shape(), dtype, x.device());
  copy(op, x, out);
  return out;
}

void fill(const char* op, const Tensor& dst, double value) {
  const Backend& be = backend(dst.device());
  lathe_view d = view_of(dst);
  be.check(be.fn().fill(dst.device().index, &d, value), op);
}

std::vector<Tensor> fused(const char* op, const std::vector<Tensor>& inputs,
                          const std::vector<OutputSpec>& outputs, const std::vector<double>& attrs) {
  // Backends know the fused kernels by this list; a name missing from it would silently never
  // run fused anywhere.
  LATHE_CHECK(lathe_fused_op_of(op) != LATHE_FUSED_NONE, "[", op, "] is not a fused kernel of "
              "backends/fused_ops.def: add it there");
  LATHE_CHECK(!inputs.empty(), "[", op, "] fused kernel call without inputs");
  Device device = inputs[0].device();
  for (const Tensor& t : inputs)
    LATHE_CHECK(t.device() == device, "[", op, "] expected tensors on one device, got ", device,
                " and ", t.device());
  const Backend& be = backend(device);
  if (!be.fn().supports || !be.fn().run_fused) return {};
  std::vector<Tensor> out;
  std::vector<lathe_view> in_views, out_views;
  for (const Tensor& t : inputs) in_views.push_back(view_of(t));
  for (const OutputSpec& o : outputs) {
    out.push_back(kernel::empty(o.shape, o.dtype, device));
    out_views.push_back(view_of(out.back()));
  }
  lathe_fused_call call{op, static_cast<int32_t>(in_views.size()), in_views.data(),
                        static_cast<int32_t>(out_views.size()), out_views.data(),
                        static_cast<int32_t>(attrs.size()), attrs.data()};
  if (!be.fn().supports(device.index, &call)) return {};
  be.check(be.fn().run_fused(device.index, &call), op);
  return out;
}

}  // namespace lathe::kernel
