// Running one registered op with its gradients, and comparing tensors: the common ground of the
// conformance test runner, the oracle runner and `lathe conformance` (which checks a backend
// against the reference backend from the installed program, with no test build).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/registry.h"

namespace lathe {

// Compares two tensors elementwise (|a - b| <= atol + rtol |b|, NaN == NaN, exact for ints and
// bools); returns "" when close, else a description of the worst element.
std::string compare(const Tensor& actual, const Tensor& expected, double atol, double rtol);

// Runs `op` on `inputs`, returning outputs and, for every differentiable input, the gradient of
// sum_k(output_k * seed_k) over floating outputs. Seeds default to deterministic normals
// (make_seeds with salt 0); an undefined seed leaves that output out of the sum.
struct Evaluation {
  Outputs outputs;
  std::map<std::string, std::vector<Tensor>> grads;  // undefined where an input got none
};
Evaluation evaluate(const OpDef& def, const std::map<std::string, std::vector<Tensor>>& inputs,
                    const std::map<std::string, AttrValue>& attrs,
                    const std::vector<Tensor>& seeds = {});

// Deterministic normal seeds shaped like the floating, non-state outputs (undefined for others).
std::vector<Tensor> make_seeds(const OpDef& def, const Outputs& outputs, uint64_t salt);

// The values of `t` in a non-contiguous layout (every other element of a buffer twice as long
// in the last dim), on t's device: how strided inputs are made for gradcheck and conformance.
Tensor strided_copy(const Tensor& t);

}  // namespace lathe
