// to_device: copies x to another device (backend). Host-memory backends copy directly; other
// devices go through their copy_from_host / copy_to_host.
// Backward: move the gradient back to x's device.
#include <vector>

#include "ops/prim/common.h"

namespace lathe {

namespace {
// Copies the contiguous tensor `src` into the contiguous tensor `dst` on another backend.
void transfer(const Tensor& src, const Tensor& dst) {
  const Backend& from = backend(src.device());
  const Backend& to = backend(dst.device());
  size_t nbytes = static_cast<size_t>(src.numel()) * dtype_size(src.dtype());
  if (nbytes == 0) return;
  void* s = view_of(src).data;
  void* d = view_of(dst).data;
  if (from.host_memory()) {
    to.check(to.fn().copy_from_host(dst.device().index, d, s, nbytes), "to_device");
  } else if (to.host_memory()) {
    from.check(from.fn().copy_to_host(src.device().index, d, s, nbytes), "to_device");
  } else {
    std::vector<char> staging(nbytes);
    from.check(from.fn().copy_to_host(src.device().index, staging.data(), s, nbytes), "to_device");
    to.check(to.fn().copy_from_host(dst.device().index, d, staging.data(), nbytes), "to_device");
  }
}
}  // namespace

Tensor to_device(const Tensor& x, Device device) {
  check_device(device, "to_device");
  Tensor src = kernel::contiguous_as("to_device", x, x.dtype());
  Tensor y = kernel::empty(x.shape(), x.dtype(), device);
  transfer(src, y);
  Device home = x.device();
  record("to_device", {x}, {y}, {}, [home](BackwardCtx& c) -> std::vector<Tensor> {
    return {to_device(c.grad(), home)};
  });
  return y;
}

LATHE_REGISTER_OPS(to_device) {
  registry.add(OpDef("to_device", "prim")
                   .summary("copies to another device")
                   .input("x", Kind::any)
                   .attr("device", "reference", "reference, cpu, cuda, cuda:1, ...")
                   .output("y", Kind::any)
                   .run([](const OpCall& c) {
                     return Outputs{to_device(c.in("x"), Device::parse(c.s("device")))};
                   }));
}

}  // namespace lathe
