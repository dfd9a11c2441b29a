// fused_or_composite and try_fused (ops/composite.h): the one place a composite meets a fused
// kernel and records the node that stands for it, so the ops themselves include nothing of
// autograd or kernel dispatch.
#include "core/autograd.h"
#include "core/kernel.h"
#include "ops/composite.h"

namespace lathe {

std::vector<Tensor> try_fused(const FusedKernel& k) {
  std::vector<Tensor> in;
  for (const Tensor& t : k.inputs)
    if (t.defined()) in.push_back(t.contiguous());  // kernels take dense buffers
  std::vector<kernel::OutputSpec> specs;
  for (const FusedOutput& o : k.outputs) specs.push_back({o.shape, o.dtype});
  return kernel::fused(k.op, in, specs, k.attrs);
}

std::vector<Tensor> fused_or_composite(const FusedKernel& k, bool fusable,
                                       const CompositeFn& composite,
                                       const FusedBackwardFn& backward) {
  std::vector<Tensor> out = fusable ? try_fused(k) : std::vector<Tensor>{};
  if (out.empty()) return composite(k.inputs);
  size_t returned = k.returned < 0 ? out.size() : static_cast<size_t>(k.returned);
  std::vector<Tensor> results(out.begin(), out.begin() + returned);

  // Saved: the defined inputs (when the rule reads them), then every kernel output. `slot`
  // remembers where each input went, so the rule sees absent inputs as undefined again.
  size_t n_in = k.inputs.size(), n_out = out.size();
  std::vector<Tensor> save;
  std::vector<int> slot(n_in, -1);
  for (size_t i = 0; k.save_inputs && i < n_in; ++i) {
    if (!k.inputs[i].defined()) continue;
    slot[i] = static_cast<int>(save.size());
    save.push_back(k.inputs[i]);
  }
  save.insert(save.end(), out.begin(), out.end());
  int first_out = static_cast<int>(save.size() - n_out);

  record(k.op, k.inputs, results, save,
         [slot, first_out, n_out, returned, composite, backward](BackwardCtx& c) {
           std::vector<Tensor> in(slot.size()), outs(n_out), grads(returned);
           for (size_t i = 0; i < slot.size(); ++i)
             if (slot[i] >= 0) in[i] = c.saved(slot[i]);
           for (size_t j = 0; j < n_out; ++j) outs[j] = c.saved(first_out + static_cast<int>(j));
           if (!backward) return composite_backward(c, in, composite);
           for (size_t j = 0; j < returned; ++j) grads[j] = c.grad(static_cast<int>(j));
           std::vector<Tensor> result = backward(grads, in, outs);
           // Inputs that want no gradient get none: their edge is dropped anyway.
           for (size_t i = 0; i < result.size(); ++i)
             if (!c.needs(static_cast<int>(i))) result[i] = Tensor();
           return result;
         });
  return results;
}

}  // namespace lathe
