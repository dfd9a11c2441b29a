// Argument handling shared by `lathe eval`, `lathe gradcheck` and `lathe graph`: NAME=VALUE
// pairs, inputs from .npy files or from one tensor of a safetensors file, random inputs of given
// shapes, attributes parsed by the op's declared types.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/random.h"
#include "core/registry.h"

namespace lathe::cli {

// "name=value" -> {name, value}; throws "[cmd] expected NAME=VALUE, got 'x'".
std::pair<std::string, std::string> split_pair(const char* cmd, const std::string& arg);

// A tensor argument: FILE.npy, or FILE.safetensors:KEY (the tensor KEY of that file, e.g. an
// oracle fixture's "basic/in.x"); throws "[cmd] ..." when the file or the key is missing.
Tensor load_tensor(const char* cmd, const std::string& spec, Device device);

// --in NAME=FILE.npy (or FILE.safetensors:KEY), repeatable; repeating a NAME appends to a
// variadic input, in order.
std::map<std::string, std::vector<Tensor>> load_inputs(const char* cmd, const OpDef& def,
                                                       const std::vector<std::string>& args,
                                                       Device device);

// --shape NAME=3,4 (or 3x4), repeatable: the shapes of inputs drawn at random.
std::map<std::string, Shape> parse_shapes(const char* cmd, const OpDef& def,
                                          const std::vector<std::string>& args);

// Draws every input that `inputs` lacks: uniform in [-2, 2], of `dtype`, with its shape from
// `shapes` (default [3, 4]; a variadic input gets two). An optional input (a weight, a bias) is
// drawn only when `shapes` names it; integer and bool inputs must come from files (an error
// saying so). An input both loaded and shaped is an error.
void draw_missing_inputs(const char* cmd, const OpDef& def,
                         const std::map<std::string, Shape>& shapes, DType dtype, Device device,
                         Generator& gen, std::map<std::string, std::vector<Tensor>>& inputs);

// --attr K=V, parsed by the attribute's declared type.
std::map<std::string, AttrValue> parse_attrs(const OpDef& def,
                                             const std::vector<std::string>& args);

}  // namespace lathe::cli
