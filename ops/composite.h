// The composite kit: the one header an op built from public ops includes (ops/nn, ops/norm,
// ops/kan, losses/, the layers in models/). It brings the public ops, the registry, grad mode,
// and the pieces every catalog op repeats: argument checks, the reduction of a loss, activations
// by name, and fused_or_composite for ops a backend may replace with a fused kernel.
//
// It pulls in nothing of the autograd engine or of kernel dispatch, so that a change there does
// not rebuild the catalog, and so that a composite cannot record its own graph node by accident.
// An op whose backward is not its composite's derivative includes ops/custom_op.h instead and
// says so in its registry entry (`.custom_backward(note)`; tests/ops/kit_test.cpp checks).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/grad_mode.h"
#include "core/registry.h"
#include "ops/kan/kan.h"
#include "ops/nn/nn.h"
#include "ops/norm/norm.h"
#include "ops/ops.h"

namespace lathe {

// ---- argument checks: each throws lathe::Error "[op] ..." naming the argument ----

// "[op] got an undefined tensor" / "[op] expected a floating tensor, got i64 of shape [..]".
void check_floating(const char* op, const Tensor& x);
// "[op] name is missing" / "[op] name must be a floating tensor, got i64".
void check_floating(const char* op, const char* name, const Tensor& t);
// A floating tensor of exactly `shape`: "[op] name must have shape [..], got [..]".
void check_shape(const char* op, const char* name, const Tensor& t, const Shape& shape);
// Same, for an optional tensor (undefined passes).
void check_optional_shape(const char* op, const char* name, const Tensor& t, const Shape& shape);
// "[op] a_name [..] and b_name [..] must have the same shape".
void check_same_shape(const char* op, const char* a_name, const Tensor& a, const char* b_name,
                      const Tensor& b);
// "[op] name must have ndim dims, got shape [..]".
void check_dim(const char* op, const char* name, const Tensor& t, int ndim);

// The dtype a float-valued binary op computes in: promote(a, b), and f32 when both are
// integral or bool.
DType float_result(const Tensor& a, const Tensor& b);

// Registry entry of a reduction y = fn(x, axes, keepdim) (sum, mean, logsumexp, ...).
OpDef reduction_def(const char* name, const char* summary,
                    Tensor (*fn)(const Tensor&, const Axes&, bool), Kind kind = Kind::floating,
                    const char* family = "prim");

// ---- reductions of a loss ----

enum class Reduction { none, mean, sum };

// "none" | "mean" | "sum"; anything else throws "[op] reduction must be none, mean or sum, got
// 'x'". Losses parse before computing, so a bad name fails before any work.
Reduction parse_reduction(const char* op, const std::string& text);
const char* reduction_name(Reduction r);

// 'none' returns `loss` as is; 'mean' and 'sum' reduce every element (a loss whose 'mean' is
// over something else, such as the weight total of a weighted cross-entropy, says so and
// computes its own).
Tensor apply_reduction(const Tensor& loss, Reduction r);
Tensor apply_reduction(const Tensor& loss, const std::string& reduction, const char* op);

// ---- activations by name (KAN base functions, MLP and transformer layers) ----

// silu | relu | leaky_relu | elu | selu | gelu | gelu_tanh | tanh | sigmoid | softplus.
// leaky_relu has slope 0.01, elu alpha 1, selu PyTorch's constants, gelu_tanh is gelu's tanh
// approximation. An unknown name throws "[op] unknown activation 'x' (the list)".
Tensor activation(const char* op, const std::string& name, const Tensor& x);
void check_activation(const char* op, const std::string& name);
// The list above, for attribute docs and errors.
extern const char* const kActivationDoc;

// ---- fused kernels with a composite fallback ----

// A fused kernel a backend may offer for an op (backends/backend.h: supports / run_fused).
// inputs are the graph node's, in the kernel's order; an undefined one is an absent optional
// input and is not passed to the kernel (the kernel learns of it from attrs). outputs are the
// kernel's (shape and dtype each); the first `returned` are the op's results, the rest are
// saved statistics (layer_norm's mean and rstd). The meaning of each fused op's inputs, outputs
// and attrs is documented beside the op that issues it.
struct FusedOutput {
  Shape shape;
  DType dtype;
};
struct FusedKernel {
  const char* op;  // the fused op's name, also the graph node's
  std::vector<Tensor> inputs;
  std::vector<FusedOutput> outputs;
  std::vector<double> attrs;
  int returned = -1;         // -1: every output
  bool save_inputs = true;   // false: the rule reads outputs only (softmax keeps just y)
};

// The ops the kernel stands for: node inputs -> the `returned` results.
using CompositeFn = std::function<std::vector<Tensor>(const std::vector<Tensor>& inputs)>;
// The gradient of the node inputs (one each, undefined for none) given the gradient of each
// returned output, the node inputs (undefined when !save_inputs) and every kernel output.
using FusedBackwardFn = std::function<std::vector<Tensor>(
    const std::vector<Tensor>& grads, const std::vector<Tensor>& inputs,
    const std::vector<Tensor>& outputs)>;

// Runs `kernel` when `fusable` and the inputs' backend offers it, recording one graph node whose
// rule is `backward`; without a backward, the rule differentiates `composite` (which is right
// for a fused backward op, reached only by higher-order gradients). Otherwise returns
// composite(kernel.inputs): the composite is both the fallback and the reference the fused
// kernel is tested against.
std::vector<Tensor> fused_or_composite(const FusedKernel& kernel, bool fusable,
                                       const CompositeFn& composite,
                                       const FusedBackwardFn& backward = nullptr);

// The kernel's outputs when the backend offers it, with no graph node (a backward rule calling a
// fused gradient kernel when no differentiable gradient is asked for); empty otherwise.
std::vector<Tensor> try_fused(const FusedKernel& kernel);

}  // namespace lathe
