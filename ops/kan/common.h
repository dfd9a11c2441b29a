// Pieces the KAN layers share: input checks, base activations by name, and the LayerNorm that
// ReLU-KAN, AF-KAN and FastKAN put in front of (or behind) their bases.
#pragma once

#include <string>

#include "core/registry.h"
#include "ops/kan/kan.h"
#include "ops/ops.h"

namespace lathe::kan {

// Throws "[op] <what> must be a floating tensor, got i64" (undefined tensors: "is missing").
void check_float(const char* op, const char* what, const Tensor& t);
// Throws "[op] <what> must have shape [..], got [..]".
void check_shape(const char* op, const char* what, const Tensor& t, const Shape& want);

// ReLU-KAN phases: low and high [width] (shared) or [in, width] (per feature), same shapes.
void check_phases(const char* op, const Tensor& x, const Tensor& low, const Tensor& high,
                  int64_t width);

// The named activation (kan.h lists the names); an unknown name throws naming `op`.
Tensor activation(const char* op, const std::string& name, const Tensor& x);
void check_activation(const char* op, const std::string& name);
// The registry attribute doc listing the names.
extern const char* const kActivationDoc;

// PyTorch's nn.LayerNorm over the last axis: (x - mean) / sqrt(var + eps) with the biased
// variance, times weight plus bias when they are defined ([D] each).
Tensor layer_norm_last(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                       double eps = 1e-5);

// x [..., in] -> [..., in, 1], ready to broadcast against per-feature knots [in, m] or [m].
Tensor per_feature(const Tensor& x);

}  // namespace lathe::kan
