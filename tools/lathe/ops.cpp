// `lathe ops`: every registered op with its metadata; --json for tools (schema in
// tools/README.md).
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/registry.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

namespace {

nlohmann::json attr_json(const AttrValue& v) {
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) {
    if (std::isinf(*p)) return *p > 0 ? "inf" : "-inf";
    return *p;
  }
  if (auto p = std::get_if<bool>(&v)) return *p;
  if (auto p = std::get_if<std::string>(&v)) return *p;
  return std::get<std::vector<int64_t>>(v);
}

nlohmann::json op_json(const OpDef& d) {
  nlohmann::json j;
  j["name"] = d.name();
  j["family"] = d.family();
  j["summary"] = d.summary_text();
  j["paper"] = d.paper_text();
  j["inputs"] = nlohmann::json::array();
  for (const InputDef& in : d.inputs())
    j["inputs"].push_back({{"name", in.name},
                           {"kind", kind_name(in.kind)},
                           {"differentiable", in.differentiable},
                           {"optional", in.optional},
                           {"variadic", in.variadic}});
  j["attrs"] = nlohmann::json::array();
  for (const AttrDef& a : d.attrs())
    j["attrs"].push_back({{"name", a.name},
                          {"type", attr_type_name(a.type)},
                          {"default", attr_json(a.default_value)},
                          {"doc", a.doc}});
  j["outputs"] = nlohmann::json::array();
  for (const OutputDef& o : d.outputs())
    j["outputs"].push_back({{"name", o.name}, {"kind", kind_name(o.kind)}});
  j["state"] = d.states();
  j["custom_backward"] = d.custom_backward_note();
  return j;
}

void print_table(const std::vector<const OpDef*>& defs) {
  size_t width = 4;
  for (const OpDef* d : defs) width = std::max(width, d->name().size());
  for (const OpDef* d : defs) {
    std::string sig;
    for (const InputDef& in : d->inputs())
      sig += (sig.empty() ? "" : ", ") + in.name + (in.variadic ? "..." : "") +
             (in.optional ? "?" : "");
    for (const AttrDef& a : d->attrs()) sig += ", " + a.name + "=" + attr_to_string(a.default_value);
    std::cout << d->name() << std::string(width + 2 - d->name().size(), ' ') << d->family()
              << std::string(d->family().size() < 6 ? 6 - d->family().size() : 1, ' ') << " ("
              << sig << ")  " << d->summary_text() << "\n";
  }
}

}  // namespace

void add_ops(CLI::App& app) {
  auto* cmd = app.add_subcommand("ops", "List every registered op with its metadata");
  cmd->footer("Example: lathe ops --family prim\n         lathe ops --json > ops.json");
  auto family = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--family", *family, "Only ops of this family (prim, nn, ...)");
  cmd->add_flag("--json", *json, "Machine-readable output (schema: tools/README.md)");
  cmd->callback([family, json] {
    std::vector<const OpDef*> defs;
    for (const OpDef* d : op_registry().all())
      if (family->empty() || d->family() == *family) defs.push_back(d);
    LATHE_CHECK(!defs.empty(), "[ops] no op in family '", *family, "'");
    if (*json) {
      nlohmann::json out;
      out["schema"] = 1;
      out["ops"] = nlohmann::json::array();
      for (const OpDef* d : defs) out["ops"].push_back(op_json(*d));
      std::cout << out.dump(1) << "\n";
    } else {
      print_table(defs);
    }
  });
}

}  // namespace lathe::cli
