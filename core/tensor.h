// Tensor: a cheap handle to a shared TensorImpl {storage, offset, shape, strides, dtype, device,
// autograd fields}. Copying a Tensor copies the handle; views share storage; broadcasting is
// stride 0. The math lives in free functions (ops/ops.h); the methods here are the ones a
// reader expects on a tensor object. Those that are ops forward to the free functions and are
// defined beside them (ops/tensor_methods.cpp), so core/ includes nothing from ops/.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/device.h"
#include "core/dtype.h"
#include "core/error.h"
#include "core/shape.h"
#include "core/storage.h"

namespace lathe {

class Node;
class Tensor;

// A gradient hook sees the gradient flowing into a tensor and may return a replacement
// (an undefined Tensor keeps it unchanged).
using GradHook = std::function<Tensor(const Tensor&)>;

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;  // in elements
  Shape shape;
  Shape strides;  // in elements
  DType dtype = DType::f32;

  // Autograd. A leaf has no grad_fn; it requires grad when the user asked for it. A non-leaf
  // requires grad exactly when it has a grad_fn (the node that produced it, output output_nr).
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;
  std::shared_ptr<Node> grad_fn;
  int output_nr = 0;
  std::vector<GradHook> hooks;  // leaves; non-leaf hooks live on grad_fn
  std::string name;             // optional, shown by to_dot and printing
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // False for a default-constructed Tensor and for grad() before any backward. Every accessor
  // and op refuses an undefined tensor with "[<accessor>] undefined tensor", never a crash.
  bool defined() const { return impl_ != nullptr; }
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

  // ---- metadata ----
  const Shape& shape() const { return checked("shape")->shape; }
  const Shape& strides() const { return checked("strides")->strides; }
  int dim() const { return checked("dim")->shape.size(); }
  int64_t size(int64_t axis) const;
  int64_t numel() const { return lathe::numel(checked("numel")->shape); }
  DType dtype() const { return checked("dtype")->dtype; }
  Device device() const { return checked("device")->storage->device(); }
  int64_t offset() const { return checked("offset")->offset; }
  bool is_contiguous() const;
  uint64_t version() const { return checked("version")->storage->version(); }
  const std::string& name() const { return checked("name")->name; }
  Tensor& set_name(std::string name);

  // ---- autograd ----
  bool requires_grad() const {
    const TensorImpl* t = checked("requires_grad");
    return t->requires_grad || t->grad_fn != nullptr;
  }
  // Marks a leaf as requiring grad (an error on non-leaves and non-float dtypes).
  Tensor& requires_grad_(bool value = true);
  bool is_leaf() const { return checked("is_leaf")->grad_fn == nullptr; }
  const std::shared_ptr<Node>& grad_fn() const { return checked("grad_fn")->grad_fn; }
  Tensor grad() const { return Tensor(checked("grad")->grad); }
  void set_grad(const Tensor& g);
  void zero_grad() { checked("zero_grad")->grad.reset(); }
  // Backpropagates from this tensor; `grad` defaults to ones for a one-element tensor.
  void backward(const Tensor& grad = Tensor(), bool retain_graph = false,
                bool create_graph = false) const;
  // Same storage, no history, requires_grad false.
  Tensor detach() const;
  void register_hook(GradHook hook);
  // Keeps the gradient of a non-leaf in .grad() after backward.
  void retain_grad();

  // ---- views and copies (ops/ops.h has the functions; ops/tensor_methods.cpp forwards) ----
  Tensor reshape(const Shape& shape) const;
  Tensor permute(const Axes& dims) const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor t() const;  // transpose of the last two dims
  Tensor expand(const Shape& shape) const;
  Tensor slice(int64_t axis, int64_t start, int64_t end = kEnd, int64_t step = 1) const;
  Tensor narrow(int64_t axis, int64_t start, int64_t length) const;
  Tensor select(int64_t axis, int64_t index) const;
  Tensor squeeze(const Axes& axes = {}) const;
  Tensor unsqueeze(int64_t axis) const;
  Tensor flatten(int64_t start = 0, int64_t end = -1) const;
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(DType dtype) const;
  Tensor to(Device device) const;
  // On the host: itself when its memory is host memory already, else a copy on `cpu` (or on
  // `reference` when lathe was built without the cpu backend).
  Tensor cpu() const;

  // ---- data ----
  // Copies to the host as T (converting). Works for every device and layout.
  template <typename T>
  std::vector<T> to_vector() const;
  double item() const;  // the single element, as double
  // Host pointer to the first element; only for host-memory devices (reference, cpu).
  void* data_ptr() const;
  template <typename T>
  T* data() const {
    return static_cast<T*>(data_ptr());
  }

  // ---- in-place (bump the version; refused on tensors that take part in a graph) ----
  Tensor& add_(const Tensor& other);
  Tensor& sub_(const Tensor& other);
  Tensor& mul_(const Tensor& other);
  Tensor& div_(const Tensor& other);
  Tensor& add_(double value);
  Tensor& mul_(double value);
  Tensor& fill_(double value);
  Tensor& zero_();
  Tensor& copy_(const Tensor& src);

 private:
  TensorImpl* checked(const char* what) const {
    if (impl_ == nullptr) throw_undefined(what);
    return impl_.get();
  }
  [[noreturn]] static void throw_undefined(const char* what);

  std::shared_ptr<TensorImpl> impl_;
};

// ---- factories (dtype defaults to f32, device to default_device()) ----
Tensor empty(const Shape& shape, DType dtype = DType::f32, Device device = default_device());
Tensor zeros(const Shape& shape, DType dtype = DType::f32, Device device = default_device());
Tensor ones(const Shape& shape, DType dtype = DType::f32, Device device = default_device());
Tensor full(const Shape& shape, double value, DType dtype = DType::f32,
            Device device = default_device());
Tensor scalar(double value, DType dtype = DType::f32, Device device = default_device());
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);
// [start, end) in steps of `step`; dtype i64 unless given.
Tensor arange(double start, double end, double step = 1.0, DType dtype = DType::i64,
              Device device = default_device());
Tensor arange(int64_t end, DType dtype = DType::i64, Device device = default_device());
// Copies host data. The vector's element type must match dtype's (float for f32, ...), or use
// the converting overload.
Tensor from_vector(const std::vector<float>& data, const Shape& shape,
                   Device device = default_device());
Tensor from_vector(const std::vector<double>& data, const Shape& shape,
                   DType dtype = DType::f64, Device device = default_device());
Tensor from_vector(const std::vector<int64_t>& data, const Shape& shape,
                   Device device = default_device());
Tensor from_vector(const std::vector<bool>& data, const Shape& shape,
                   Device device = default_device());
// Wraps memory the caller owns, without copying. `release` (optional) runs when the last
// tensor using it is gone. Strides default to contiguous.
Tensor from_blob(void* data, const Shape& shape, DType dtype, Device device = default_device(),
                 std::function<void(void*)> release = nullptr, Shape strides = Shape());

// Builds a tensor header over existing storage (views). Checks bounds.
Tensor make_view(const Tensor& base, const Shape& shape, const Shape& strides, int64_t offset);

// The view a backend sees, optionally broadcast to `shape` (stride 0 where extent 1 grows).
lathe_view view_of(const Tensor& t);
lathe_view view_of(const Tensor& t, const Shape& shape);

std::ostream& operator<<(std::ostream& os, const Tensor& t);
std::string to_string(const Tensor& t);

}  // namespace lathe
