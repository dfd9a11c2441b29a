// `lathe conformance --backend NAME`: the conformance suite from the installed program, for
// people porting lathe to a new backend (docs/porting.md). Every case of every op's oracle
// fixture (tests/fixtures/oracle/<op>.safetensors, installed as <prefix>/share/lathe/cases) runs
// on the reference backend and on NAME, in f64 and f32, with contiguous and strided inputs; the
// outputs and the gradients of sum_k(output_k * seed_k) must agree within the tolerances of the
// test suite's conformance runner (f64: 1e-10, f32: atol 1e-5, rtol 1e-4). Prints one line per
// op and the first disagreement of each failing op; exit code 1 when an op fails.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/backend_registry.h"
#include "core/safetensors.h"
#include "ops/evaluate.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

namespace {

struct ConformanceOptions {
  std::string backend, cases, only;
};

// The fixture folder: --cases, else the installed one beside the program, else the source tree's.
std::string cases_dir(const std::string& given) {
  if (!given.empty()) return given;
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<size_t>(n));
    std::string installed = dir.substr(0, dir.find_last_of('/')) + "/../" LATHE_CASES_INSTALLED;
    if (access(installed.c_str(), R_OK) == 0) return installed;
  }
  return LATHE_CASES_SOURCE;
}

std::vector<std::string> fixture_files(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  LATHE_CHECK(d != nullptr, "[conformance] cannot read the case folder '", dir,
              "' (give one with --cases DIR)");
  std::vector<std::string> files;
  const std::string ext = ".safetensors";
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      files.push_back(name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  LATHE_CHECK(!files.empty(), "[conformance] no case file (*.safetensors) in '", dir, "'");
  return files;
}

AttrValue attr_value(const OpDef& def, const std::string& name, const nlohmann::json& v) {
  int i = def.attr_index(name);
  LATHE_CHECK(i >= 0, "[conformance] ", def.name(), " has no attribute '", name, "'");
  switch (def.attrs()[i].type) {
    case AttrType::integer: return v.get<int64_t>();
    case AttrType::real: return v.get<double>();
    case AttrType::boolean: return v.get<bool>();
    case AttrType::string: return v.get<std::string>();
    case AttrType::ints: return v.get<std::vector<int64_t>>();
  }
  LATHE_FAIL("[conformance] attribute '", name, "' of unknown type");
}

struct OpResult {
  int cases = 0, runs = 0;
  std::string failure;  // the first disagreement, "" when every run agreed
};

// One case in one dtype and layout: reference vs target.
std::string check_run(const OpDef& def, const SafetensorsFile& file, const nlohmann::json& c,
                      Device target, DType dtype, bool strided) {
  std::map<std::string, std::vector<Tensor>> ref_in, got_in;
  for (auto& [name, keys] : c.at("inputs").items()) {
    for (const auto& key : keys) {
      Tensor x = file.tensors.at(key.get<std::string>());
      if (is_floating(x.dtype())) x = x.to(dtype);
      ref_in[name].push_back(x);
      Tensor moved = x.to(target);
      got_in[name].push_back(strided ? strided_copy(moved) : moved);
    }
  }
  std::map<std::string, AttrValue> attrs;
  const nlohmann::json given = c.value("attrs", nlohmann::json::object());
  for (auto& [name, v] : given.items()) attrs[name] = attr_value(def, name, v);
  std::vector<Tensor> seeds(def.outputs().size()), target_seeds(def.outputs().size());
  for (size_t k = 0; k < def.outputs().size(); ++k) {
    auto it = c.at("seeds").find(def.outputs()[k].name);
    if (it == c.at("seeds").end()) continue;
    seeds[k] = file.tensors.at(it->get<std::string>()).to(dtype);
    target_seeds[k] = seeds[k].to(target);
  }
  Evaluation want = evaluate(def, ref_in, attrs, seeds);
  Evaluation got = evaluate(def, got_in, attrs, target_seeds);
  bool f64 = dtype == DType::f64;
  double atol = f64 ? 1e-10 : 1e-5, rtol = f64 ? 1e-10 : 1e-4;
  std::string where = std::string(c.at("case").get<std::string>()) + " (" + dtype_name(dtype) +
                      (strided ? ", strided" : "") + "): ";
  for (size_t k = 0; k < want.outputs.size(); ++k) {
    std::string diff = compare(got.outputs[k].to(Device::reference()), want.outputs[k], atol, rtol);
    if (!diff.empty()) return where + "output " + def.outputs()[k].name + ": " + diff;
  }
  for (auto& [name, grads] : want.grads) {
    for (size_t i = 0; i < grads.size(); ++i) {
      const Tensor& g = got.grads[name].size() > i ? got.grads[name][i] : Tensor();
      if (g.defined() != grads[i].defined())
        return where + "gradient of " + name + ": defined on one backend only";
      if (!grads[i].defined()) continue;
      std::string diff = compare(g.to(Device::reference()), grads[i], atol, rtol);
      if (!diff.empty()) return where + "gradient of " + name + ": " + diff;
    }
  }
  return "";
}

OpResult check_op(const OpDef& def, const SafetensorsFile& file, Device target) {
  OpResult r;
  for (const nlohmann::json& c : nlohmann::json::parse(file.metadata.at("cases"))) {
    ++r.cases;
    bool f32 = c.value("f32", true);
    for (DType dtype : {DType::f64, DType::f32}) {
      if (dtype == DType::f32 && !f32) continue;
      for (bool strided : {false, true}) {
        ++r.runs;
        std::string failure;
        try {
          failure = check_run(def, file, c, target, dtype, strided);
        } catch (const std::exception& e) {
          failure = c.at("case").get<std::string>() + ": " + e.what();
        }
        if (!failure.empty() && r.failure.empty()) r.failure = failure;
      }
    }
  }
  return r;
}

void run(const ConformanceOptions& o) {
  const Backend* backend = find_backend(o.backend);
  LATHE_CHECK(backend != nullptr, "[conformance] no backend '", o.backend,
              "' (see `lathe info`; a plugin loads through LATHE_BACKEND_PATH)");
  LATHE_CHECK(o.backend != "reference", "[conformance] the reference backend is the "
              "specification the others are checked against: name another backend");
  Device target = Device::parse(o.backend);
  check_device(target, "conformance");
  std::vector<std::string> only;
  std::stringstream list(o.only);
  for (std::string name; std::getline(list, name, ',');)
    if (!name.empty()) only.push_back(op_registry().get(name).name());

  std::string dir = cases_dir(o.cases);
  int passed = 0, failed = 0, skipped = 0;
  std::printf("%-32s %6s %6s  %s\n", "op", "cases", "runs", "result");
  for (const std::string& name : fixture_files(dir)) {
    std::string op = name.substr(0, name.size() - std::string(".safetensors").size());
    if (!only.empty() && std::find(only.begin(), only.end(), op) == only.end()) continue;
    const OpDef* def = op_registry().find(op);
    if (!def) {  // a fixture of an op this build does not have
      ++skipped;
      continue;
    }
    OpResult r = check_op(*def, load_safetensors(dir + "/" + name, Device::reference()), target);
    (r.failure.empty() ? passed : failed)++;
    std::printf("%-32s %6d %6d  %s\n", op.c_str(), r.cases, r.runs,
                r.failure.empty() ? "pass" : "FAIL");
    if (!r.failure.empty()) std::printf("    %s\n", r.failure.c_str());
  }
  std::printf("%s: %d ops pass, %d fail", backend->name().c_str(), passed, failed);
  if (skipped) std::printf(", %d case files of ops this build lacks skipped", skipped);
  std::printf(" (cases from %s)\n", dir.c_str());
  std::fflush(stdout);  // the table before the error line
  if (failed)
    throw std::runtime_error("conformance: " + std::to_string(failed) + " ops fail on " +
                             backend->name());
}

}  // namespace

void add_conformance(CLI::App& app) {
  auto o = std::make_shared<ConformanceOptions>();
  auto* cmd = app.add_subcommand(
      "conformance", "Check a backend against the reference backend on every op's test cases");
  cmd->footer(
      "Example: LATHE_BACKEND_PATH=./liblathe_backend_trace.so lathe conformance --backend trace\n"
      "         lathe conformance --backend cpu --ops softmax,layer_norm\n"
      "Every case of the oracle fixtures runs on the reference backend and on the named one, in\n"
      "f64 and f32, with contiguous and strided inputs; outputs and gradients must agree (f64:\n"
      "1e-10; f32: atol 1e-5, rtol 1e-4). One line per op, the first disagreement of each\n"
      "failing op below it. Exit code 1 when an op fails. docs/porting.md walks through a port.");
  cmd->add_option("--backend", o->backend, "Backend to check (see `lathe info`)")->required();
  cmd->add_option("--ops", o->only, "Comma-separated op names (default: every op with cases)");
  cmd->add_option("--cases", o->cases,
                  "Folder of <op>.safetensors case files (default: the installed cases, else "
                  "the source tree's tests/fixtures/oracle)");
  cmd->callback([o] { run(*o); });
}

}  // namespace lathe::cli
