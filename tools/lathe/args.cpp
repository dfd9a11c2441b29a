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

namespace {

Shape parse_shape(const char* cmd, const std::string& text) {
  std::vector<int64_t> dims;
  std::string item;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ',' && text[i] != 'x') {
      item += text[i];
      continue;
    }
    if (item.empty()) continue;
    LATHE_CHECK(item.size() <= 12 && item.find_first_not_of("0123456789") == std::string::npos,
                "[", cmd, "] bad shape '", text, "' (expected e.g. 3,4)");
    dims.push_back(std::stoll(item));
    item.clear();
  }
  return Shape(dims);
}

}  // namespace

std::map<std::string, Shape> parse_shapes(const char* cmd, const OpDef& def,
                                          const std::vector<std::string>& args) {
  std::map<std::string, Shape> shapes;
  for (const std::string& arg : args) {
    auto [name, text] = split_pair(cmd, arg);
    LATHE_CHECK(def.input_index(name) >= 0, "[", def.name(), "] unknown input '", name, "'");
    shapes[name] = parse_shape(cmd, text);
  }
  return shapes;
}

void draw_missing_inputs(const char* cmd, const OpDef& def,
                         const std::map<std::string, Shape>& shapes, DType dtype, Device device,
                         Generator& gen, std::map<std::string, std::vector<Tensor>>& inputs) {
  for (const InputDef& d : def.inputs()) {
    auto shape = shapes.find(d.name);
    LATHE_CHECK(!(inputs.count(d.name) && shape != shapes.end()), "[", cmd, "] input '", d.name,
                "' is given both with --in and with --shape: pass one");
    if (inputs.count(d.name) || (d.optional && shape == shapes.end())) continue;
    LATHE_CHECK(d.kind == Kind::floating || d.kind == Kind::any, "[", cmd, "] input '", d.name,
                "' takes ", kind_name(d.kind), " values: pass it with --in ", d.name, "=FILE.npy");
    Shape s = shape != shapes.end() ? shape->second : Shape{3, 4};
    inputs[d.name].push_back(uniform(s, -2.0, 2.0, dtype, device, &gen));
    if (d.variadic) inputs[d.name].push_back(uniform(s, -2.0, 2.0, dtype, device, &gen));
  }
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
