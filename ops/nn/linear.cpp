// linear: y = x @ W^T + b, W [out, in], b [out] (optional), x [..., in] -> y [..., out].
// Composite.
#include "ops/composite.h"

namespace lathe {

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  LATHE_CHECK(weight.dim() == 2, "[linear] weight must be [out, in], got ", weight.shape());
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() == weight.shape()[1], "[linear] input ", x.shape(),
              " does not end in weight's in-features ", weight.shape()[1]);
  LATHE_CHECK(!bias.defined() || bias.shape() == Shape{weight.shape()[0]}, "[linear] bias ",
              bias.defined() ? bias.shape() : Shape(), " must be [", weight.shape()[0], "]");
  Tensor y = matmul(x, transpose(weight, 0, 1));  // [..., out]
  return bias.defined() ? y + bias : y;
}

LATHE_REGISTER_OPS(linear) {
  registry.add(OpDef("linear", "nn")
                   .summary("x @ weight^T + bias")
                   .input("x")
                   .input("weight")
                   .input("bias", Kind::floating, kOptional)
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{linear(c.in("x"), c.in("weight"), c.in("bias"))};
                   }));
}

}  // namespace lathe
