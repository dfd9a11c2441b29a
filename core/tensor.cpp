#include "core/tensor.h"

#include <cmath>
#include <cstring>

#include "core/autograd.h"
#include "core/backend_registry.h"
#include "core/checked.h"
#include "core/kernel.h"

namespace lathe {

// ---- metadata ----

void Tensor::throw_undefined(const char* what) {
  LATHE_FAIL("[", what, "] undefined tensor (a default-constructed Tensor, or grad() before "
             "any backward)");
}

int64_t Tensor::size(int64_t axis) const {
  return checked("size")->shape[normalize_axis(axis, dim(), "size")];
}

bool Tensor::is_contiguous() const {
  const TensorImpl* t = checked("is_contiguous");
  int64_t expected = 1;
  for (int i = dim() - 1; i >= 0; --i) {
    if (t->shape[i] == 1) continue;
    if (t->strides[i] != expected) return false;
    expected *= t->shape[i];
  }
  return true;
}

Tensor& Tensor::set_name(std::string name) {
  checked("set_name")->name = std::move(name);
  return *this;
}

// ---- autograd ----

Tensor& Tensor::requires_grad_(bool value) {
  TensorImpl* t = checked("requires_grad_");
  LATHE_CHECK(is_leaf(), "[requires_grad_] only leaves can change requires_grad; this tensor was "
              "produced by ", t->grad_fn->name(), " (use detach() for a new leaf)");
  LATHE_CHECK(!value || is_floating(dtype()), "[requires_grad_] only floating tensors can require "
              "grad, got ", dtype());
  t->requires_grad = value;
  return *this;
}

void Tensor::set_grad(const Tensor& g) {
  TensorImpl* t = checked("set_grad");
  if (g.defined())
    LATHE_CHECK(g.shape() == shape(), "[set_grad] gradient shape ", g.shape(),
                " does not match tensor shape ", shape());
  t->grad = g.impl_ptr();
}

void Tensor::backward(const Tensor& grad, bool retain_graph, bool create_graph) const {
  lathe::backward({*this}, grad.defined() ? std::vector<Tensor>{grad} : std::vector<Tensor>{},
                  retain_graph, create_graph);
}

Tensor Tensor::detach() const {
  const TensorImpl* t = checked("detach");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = t->storage;
  impl->offset = t->offset;
  impl->shape = t->shape;
  impl->strides = t->strides;
  impl->dtype = t->dtype;
  impl->name = t->name;
  return Tensor(std::move(impl));
}

void Tensor::register_hook(GradHook hook) {
  TensorImpl* t = checked("register_hook");
  LATHE_CHECK(requires_grad(), "[register_hook] the tensor does not require grad");
  if (is_leaf())
    t->hooks.push_back(std::move(hook));
  else
    t->grad_fn->add_output_hook(t->output_nr, std::move(hook));
}

void Tensor::retain_grad() {
  if (is_leaf()) return;  // leaves keep their gradient anyway (is_leaf checks defined)
  std::weak_ptr<TensorImpl> self = impl_;  // weak: the node must not own its output
  impl_->grad_fn->add_output_hook(impl_->output_nr, [self](const Tensor& g) {
    if (auto impl = self.lock()) {
      Tensor t(impl);
      NoGradGuard no_grad;
      t.set_grad(t.grad().defined() ? add(t.grad(), g) : g.detach());
    }
    return Tensor();
  });
}

// ---- views and copies (the one-line forwarders to ops live in ops/tensor_methods.cpp) ----

Tensor Tensor::select(int64_t axis, int64_t index) const {
  int ax = normalize_axis(axis, dim(), "select");
  int64_t n = shape()[ax];
  LATHE_CHECK(index >= -n && index < n, "[select] index ", index, " out of range for axis ", axis,
              " of size ", n);
  if (index < 0) index += n;
  return narrow(ax, index, 1).squeeze({ax});
}
Tensor Tensor::flatten(int64_t start, int64_t end) const {
  if (dim() == 0) return reshape({1});
  int s = normalize_axis(start, dim(), "flatten"), e = normalize_axis(end, dim(), "flatten");
  LATHE_CHECK(s <= e, "[flatten] start axis ", start, " comes after end axis ", end);
  Shape out;
  for (int i = 0; i < s; ++i) out.push_back(shape()[i]);
  int64_t n = 1;
  for (int i = s; i <= e; ++i) n = checked_mul(n, shape()[i], "flatten");
  out.push_back(n);
  for (int i = e + 1; i < dim(); ++i) out.push_back(shape()[i]);
  return reshape(out);
}
Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }
Tensor Tensor::cpu() const {
  if (backend(device()).host_memory()) return *this;
  return to(find_backend("cpu") ? Device::cpu() : Device::reference());
}

// ---- data ----

namespace {
template <typename T>
DType dtype_of();
template <> DType dtype_of<float>() { return DType::f32; }
template <> DType dtype_of<double>() { return DType::f64; }
template <> DType dtype_of<int64_t>() { return DType::i64; }
template <> DType dtype_of<int32_t>() { return DType::i32; }
template <> DType dtype_of<uint8_t>() { return DType::boolean; }

// Copies t's elements to host memory `out` as `dtype`, contiguous.
void read_host(const Tensor& t, DType dtype, void* out) {
  Tensor c = kernel::contiguous_as("to_vector", t, dtype);
  const Backend& be = backend(c.device());
  size_t nbytes = static_cast<size_t>(c.numel()) * dtype_size(dtype);
  const char* src = static_cast<const char*>(c.impl()->storage->data()) +
                    c.offset() * static_cast<int64_t>(dtype_size(dtype));
  be.check(be.fn().copy_to_host(c.device().index, out, src, nbytes), "to_vector");
}
}  // namespace

template <typename T>
std::vector<T> Tensor::to_vector() const {
  // An expanded view may have far more elements than storage: refuse before the vector is made.
  check_alloc(checked_nbytes(shape(), sizeof(T), "to_vector"), shape(), dtype_name(dtype_of<T>()),
              "to_vector");
  std::vector<T> out(static_cast<size_t>(numel()));
  if (!out.empty()) read_host(*this, dtype_of<T>(), out.data());
  return out;
}

template <>
std::vector<bool> Tensor::to_vector<bool>() const {
  std::vector<uint8_t> bytes = to_vector<uint8_t>();
  return std::vector<bool>(bytes.begin(), bytes.end());
}

template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<int64_t> Tensor::to_vector<int64_t>() const;
template std::vector<int32_t> Tensor::to_vector<int32_t>() const;
template std::vector<uint8_t> Tensor::to_vector<uint8_t>() const;

double Tensor::item() const {
  LATHE_CHECK(numel() == 1, "[item] expected a tensor with one element, got shape ", shape());
  return to_vector<double>()[0];
}

void* Tensor::data_ptr() const {
  LATHE_CHECK(backend(device()).host_memory(), "[data_ptr] tensor lives on ", device(),
              ", not in host memory; use to_vector() or .to(Device::cpu())");
  const TensorImpl* t = checked("data_ptr");
  return static_cast<char*>(t->storage->data()) +
         t->offset * static_cast<int64_t>(dtype_size(dtype()));
}

// ---- in-place ----

namespace {
void check_inplace(const char* op, const Tensor& self, const Tensor& other, bool has_other) {
  LATHE_CHECK(self.defined(), "[", op, "] undefined destination tensor");
  LATHE_CHECK(!has_other || other.defined(), "[", op, "] undefined source tensor");
  bool grad_involved = self.requires_grad() || (other.defined() && other.requires_grad());
  LATHE_CHECK(!(is_grad_enabled() && grad_involved), "[", op,
              "] in-place update of a tensor that takes part in autograd; use the out-of-place "
              "op, or run it under NoGradGuard (as optimizers do)");
  for (int i = 0; i < self.dim(); ++i)
    LATHE_CHECK(self.strides()[i] != 0 || self.shape()[i] <= 1, "[", op,
                "] cannot write into a broadcast (expanded) tensor of shape ", self.shape());
}

Tensor& binary_inplace(const char* op, lathe_binary_op k, Tensor& self, const Tensor& other) {
  check_inplace(op, self, other, true);
  Shape out = broadcast_shapes(self.shape(), other.shape(), op);
  LATHE_CHECK(out == self.shape(), "[", op, "] cannot broadcast ", other.shape(),
              " into the destination shape ", self.shape());
  const Backend& be = kernel::backend_for(op, {self, other});
  Tensor o = kernel::contiguous_as(op, other, self.dtype());
  lathe_view a = view_of(self), b = view_of(o, self.shape());
  be.check(be.fn().binary(self.device().index, k, &a, &b, &a), op);
  self.impl()->storage->bump_version();
  return self;
}
}  // namespace

Tensor& Tensor::add_(const Tensor& o) { return binary_inplace("add_", LATHE_BINARY_ADD, *this, o); }
Tensor& Tensor::sub_(const Tensor& o) { return binary_inplace("sub_", LATHE_BINARY_SUB, *this, o); }
Tensor& Tensor::mul_(const Tensor& o) { return binary_inplace("mul_", LATHE_BINARY_MUL, *this, o); }
Tensor& Tensor::div_(const Tensor& o) { return binary_inplace("div_", LATHE_BINARY_DIV, *this, o); }
// The scalar takes this tensor's dtype: binary_inplace would cast it to that dtype anyway.
Tensor& Tensor::add_(double v) { return add_(full({}, v, dtype(), device())); }
Tensor& Tensor::mul_(double v) { return mul_(full({}, v, dtype(), device())); }

Tensor& Tensor::fill_(double value) {
  check_inplace("fill_", *this, Tensor(), false);
  kernel::fill("fill_", *this, value);
  impl_->storage->bump_version();
  return *this;
}

Tensor& Tensor::zero_() { return fill_(0.0); }

Tensor& Tensor::copy_(const Tensor& src) {
  check_inplace("copy_", *this, src, true);
  Tensor s = src.device() == device() ? src : src.detach().to(device());
  kernel::copy("copy_", s, *this);
  impl_->storage->bump_version();
  return *this;
}

// ---- factories ----

Tensor empty(const Shape& shape, DType dtype, Device device) {
  for (int64_t d : shape) LATHE_CHECK(d >= 0, "[empty] negative extent in shape ", shape);
  check_device(device, "empty");
  return kernel::empty(shape, dtype, device);
}

Tensor full(const Shape& shape, double value, DType dtype, Device device) {
  Tensor t = empty(shape, dtype, device);
  kernel::fill("full", t, value);
  return t;
}

Tensor zeros(const Shape& shape, DType dtype, Device device) { return full(shape, 0.0, dtype, device); }
Tensor ones(const Shape& shape, DType dtype, Device device) { return full(shape, 1.0, dtype, device); }
Tensor scalar(double value, DType dtype, Device device) { return full({}, value, dtype, device); }
Tensor zeros_like(const Tensor& t) { return full(t.shape(), 0.0, t.dtype(), t.device()); }
Tensor ones_like(const Tensor& t) { return full(t.shape(), 1.0, t.dtype(), t.device()); }
Tensor full_like(const Tensor& t, double v) { return full(t.shape(), v, t.dtype(), t.device()); }

namespace {
Tensor from_host(const void* data, const Shape& shape, DType dtype, Device device) {
  Tensor t = empty(shape, dtype, device);
  size_t nbytes = static_cast<size_t>(t.numel()) * dtype_size(dtype);
  const Backend& be = backend(device);
  if (nbytes) be.check(be.fn().copy_from_host(device.index, view_of(t).data, data, nbytes),
                       "from_vector");
  return t;
}
}  // namespace

Tensor arange(double start, double end, double step, DType dtype, Device device) {
  LATHE_CHECK(step != 0, "[arange] step must be nonzero");
  double span = (end - start) / step;
  // 2^62: the cast below must stay defined; the allocation check refuses what memory cannot hold.
  LATHE_CHECK(std::isfinite(span) && span < 0x1p62, "[arange] cannot make ", span,
              " values from ", start, " to ", end, " in steps of ", step);
  int64_t n = span > 0 ? static_cast<int64_t>(std::ceil(span)) : 0;
  check_alloc(checked_nbytes({n}, sizeof(double), "arange"), {n}, "f64", "arange");
  std::vector<double> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) values[i] = start + static_cast<double>(i) * step;
  return from_vector(values, {n}, DType::f64, device).to(dtype).detach();
}

Tensor arange(int64_t end, DType dtype, Device device) {
  return arange(0.0, static_cast<double>(end), 1.0, dtype, device);
}

namespace {
void check_count(size_t n, const Shape& shape) {
  LATHE_CHECK(static_cast<int64_t>(n) == numel(shape), "[from_vector] ", n,
              " values do not fill shape ", shape, " (", numel(shape), " elements)");
}
}  // namespace

Tensor from_vector(const std::vector<float>& data, const Shape& shape, Device device) {
  check_count(data.size(), shape);
  return from_host(data.data(), shape, DType::f32, device);
}

Tensor from_vector(const std::vector<double>& data, const Shape& shape, DType dtype,
                   Device device) {
  check_count(data.size(), shape);
  Tensor t = from_host(data.data(), shape, DType::f64, device);
  return dtype == DType::f64 ? t : kernel::contiguous_as("from_vector", t, dtype);
}

Tensor from_vector(const std::vector<int64_t>& data, const Shape& shape, Device device) {
  check_count(data.size(), shape);
  return from_host(data.data(), shape, DType::i64, device);
}

Tensor from_vector(const std::vector<bool>& data, const Shape& shape, Device device) {
  check_count(data.size(), shape);
  std::vector<uint8_t> bytes(data.begin(), data.end());
  return from_host(bytes.data(), shape, DType::boolean, device);
}

Tensor from_blob(void* data, const Shape& shape, DType dtype, Device device,
                 std::function<void(void*)> release, Shape strides) {
  check_device(device, "from_blob");
  if (strides.empty() && !shape.empty()) strides = contiguous_strides(shape);
  LATHE_CHECK(strides.size() == shape.size(), "[from_blob] strides ", strides,
              " do not match shape ", shape);
  for (int i = 0; i < shape.size(); ++i)
    LATHE_CHECK(shape[i] >= 0 && strides[i] >= 0, "[from_blob] negative shape or stride");
  int64_t span = checked_numel(shape, "from_blob") ? 1 : 0;  // elements reachable from the first
  for (int i = 0; i < shape.size() && span; ++i)
    span = checked_add(span, checked_mul(shape[i] - 1, strides[i], "from_blob"), "from_blob");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = Storage::wrap(data, static_cast<size_t>(checked_mul(span,
                                static_cast<int64_t>(dtype_size(dtype)), "from_blob")), device,
                                std::move(release));
  impl->shape = shape;
  impl->strides = strides;
  impl->dtype = dtype;
  return Tensor(std::move(impl));
}

Tensor make_view(const Tensor& base, const Shape& shape, const Shape& strides, int64_t offset) {
  LATHE_CHECK(base.defined(), "[view] undefined base tensor");
  LATHE_CHECK(strides.size() == shape.size(), "[view] strides ", strides, " do not match shape ",
              shape);
  bool empty = checked_numel(shape, "view") == 0;
  int64_t lo = offset, hi = offset;
  for (int i = 0; i < shape.size() && !empty; ++i) {
    int64_t reach = checked_mul(shape[i] - 1, strides[i], "view");
    (reach < 0 ? lo : hi) = checked_add(reach < 0 ? lo : hi, reach, "view");
  }
  int64_t capacity = static_cast<int64_t>(base.impl()->storage->nbytes() / dtype_size(base.dtype()));
  LATHE_CHECK(empty || (lo >= 0 && hi < capacity), "[view] shape ", shape, " strides ", strides,
              " offset ", offset, " reaches outside storage of ", capacity, " elements");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = base.impl()->storage;
  impl->offset = offset;
  impl->shape = shape;
  impl->strides = strides;
  impl->dtype = base.dtype();
  return Tensor(std::move(impl));
}

lathe_view view_of(const Tensor& t) {
  LATHE_CHECK(t.defined(), "[view_of] undefined tensor");
  lathe_view v;
  v.data = static_cast<char*>(t.impl()->storage->data()) +
           t.offset() * static_cast<int64_t>(dtype_size(t.dtype()));
  v.dtype = to_c(t.dtype());
  v.ndim = t.dim();
  for (int i = 0; i < t.dim(); ++i) {
    v.shape[i] = t.shape()[i];
    v.strides[i] = t.strides()[i];
  }
  return v;
}

lathe_view view_of(const Tensor& t, const Shape& shape) {
  lathe_view v = view_of(t);
  int lead = shape.size() - t.dim();
  v.ndim = shape.size();
  for (int i = shape.size() - 1; i >= 0; --i) {
    int j = i - lead;
    bool from_t = j >= 0 && t.shape()[j] == shape[i];
    v.shape[i] = shape[i];
    v.strides[i] = from_t ? t.strides()[j] : 0;
  }
  return v;
}

}  // namespace lathe
