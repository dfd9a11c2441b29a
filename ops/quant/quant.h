// Straight-through quantizers (catalog: reparam.md, dir ops/quant): each in
// ops/quant/<name>.cpp, a custom-backward op (ops/custom_op.h) whose backward is its definition.
#pragma once

#include "core/tensor.h"

namespace lathe {

// sign(x) forward; ReSTE's rectified backward g(x) (ops/quant/reste_sign.cpp).
Tensor reste_sign(const Tensor& x, double o = 3.0, double t = 1.5, double delta = 0.1);

}  // namespace lathe
