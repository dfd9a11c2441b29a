// Argument handling shared by `lathe eval` and `lathe gradcheck`: NAME=VALUE pairs, inputs from
// .npy files or from one tensor of a safetensors file, attributes parsed by the op's declared
// types.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

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

// --attr K=V, parsed by the attribute's declared type.
std::map<std::string, AttrValue> parse_attrs(const OpDef& def,
                                             const std::vector<std::string>& args);

}  // namespace lathe::cli
