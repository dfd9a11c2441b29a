#include "tools/lathe/args.h"

#include "core/npy.h"

namespace lathe::cli {

std::pair<std::string, std::string> split_pair(const char* cmd, const std::string& arg) {
  size_t eq = arg.find('=');
  LATHE_CHECK(eq != std::string::npos && eq > 0, "[", cmd, "] expected NAME=VALUE, got '", arg,
              "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

std::map<std::string, std::vector<Tensor>> load_inputs(const char* cmd, const OpDef& def,
                                                       const std::vector<std::string>& args,
                                                       Device device) {
  std::map<std::string, std::vector<Tensor>> inputs;
  for (const std::string& arg : args) {
    auto [name, path] = split_pair(cmd, arg);
    LATHE_CHECK(def.input_index(name) >= 0, "[", def.name(), "] unknown input '", name, "'");
    inputs[name].push_back(load_npy(path, device));
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
