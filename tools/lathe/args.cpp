#include "tools/lathe/args.h"

#include "core/npy.h"
#include "core/safetensors.h"

namespace lathe::cli {

std::pair<std::string, std::string> split_pair(const char* cmd, const std::string& arg) {
  size_t eq = arg.find('=');
  LATHE_CHECK(eq != std::string::npos && eq > 0, "[", cmd, "] expected NAME=VALUE, got '", arg,
              "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

Tensor load_tensor(const char* cmd, const std::string& spec, Device device) {
  const std::string ext = ".safetensors:";
  size_t at = spec.find(ext);
  if (at == std::string::npos) return load_npy(spec, device);
  std::string path = spec.substr(0, at + ext.size() - 1), key = spec.substr(at + ext.size());
  SafetensorsFile file = load_safetensors(path, device);
  auto it = file.tensors.find(key);
  LATHE_CHECK(it != file.tensors.end(), "[", cmd, "] ", path, " holds no tensor '", key, "'");
  return it->second;
}

std::map<std::string, std::vector<Tensor>> load_inputs(const char* cmd, const OpDef& def,
                                                       const std::vector<std::string>& args,
                                                       Device device) {
  std::map<std::string, std::vector<Tensor>> inputs;
  for (const std::string& arg : args) {
    auto [name, path] = split_pair(cmd, arg);
    LATHE_CHECK(def.input_index(name) >= 0, "[", def.name(), "] unknown input '", name, "'");
    inputs[name].push_back(load_tensor(cmd, path, device));
  }
  return inputs;
}

std::map<std::string, AttrValue> parse_attrs(const OpDef& def,
                                             const std::vector<std::string>& args) {
  std::map<std::string, AttrValue> attrs;
  for (const std::string& arg : args) {
    auto [name, text] = split_pair("attr", arg);
    attrs[name] = parse_attr(def, name, text);
  }
  return attrs;
}

}  // namespace lathe::cli
