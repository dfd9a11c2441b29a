// Fixtures kept as one safetensors file per group, e.g. tests/fixtures/optim/<group>.safetensors
// (tools/oracle/optim.py): tensors "<case>/<name>", and under the metadata key "cases" a JSON
// object case -> meta. The tests that read a group get its cases sorted by name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lathe.h"

namespace lathe::test {

struct FixtureCase {
  std::string name, path;  // the case, and the group file it came from
  nlohmann::json meta;
  std::map<std::string, Tensor> tensors;  // by name, without the "<case>/" prefix

  // The tensor `what` on the reference device (shared with the group: clone before editing).
  const Tensor& at(const std::string& what) const {
    auto it = tensors.find(what);
    LATHE_CHECK(it != tensors.end(), "[test] ", path, ": case ", name, " has no tensor '", what,
                "'");
    return it->second;
  }
};

inline std::vector<FixtureCase> load_fixture_group(const std::string& path) {
  SafetensorsFile file = load_safetensors(path, Device::reference());
  LATHE_CHECK(file.metadata.count("cases"), "[test] ", path, " has no \"cases\" metadata");
  nlohmann::json metas = nlohmann::json::parse(file.metadata.at("cases"));
  std::vector<FixtureCase> out;
  for (const auto& [name, meta] : metas.items()) {
    FixtureCase c{name, path, meta, {}};
    std::string prefix = name + "/";
    for (const auto& [key, t] : file.tensors)
      if (key.compare(0, prefix.size(), prefix) == 0) c.tensors[key.substr(prefix.size())] = t;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace lathe::test
