// logsumexp: y = log(sum(exp(x))) over axes, computed as m + log(sum(exp(x - m))) with
// m = max(x) held constant, so exp never overflows. Composite: its gradient is softmax(x)
// because m cancels (and m is detached, so ties in the max do not matter).
// An all -inf slice gives -inf (m is replaced by 0 there to avoid inf - inf).
#include "ops/composite.h"

namespace lathe {

Tensor logsumexp(const Tensor& x, const Axes& axes, bool keepdim) {
  check_floating("logsumexp", x);
  Tensor m = max(x.detach(), axes, true);                  // [kept]
  m = where(eq(abs(m), std::numeric_limits<double>::infinity()), 0.0, m);
  Tensor y = log(sum(exp(x - m), axes, true)) + m;          // [kept]
  return keepdim ? y : squeeze(y, axes.empty() ? Axes{} : axes);
}

LATHE_REGISTER_OPS(logsumexp) {
  registry.add(reduction_def("logsumexp", "log(sum(exp(x))) over axes, max-shifted", logsumexp,
                             Kind::floating, "nn"));
}

}  // namespace lathe
