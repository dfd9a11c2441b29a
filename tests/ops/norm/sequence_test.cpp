// power_norm and unified_norm over whole training runs, against the PyTorch reference of
// tools/oracle/norm.py (tests/fixtures/sequences/<op>.safetensors): for every step the output, the
// gradients of x, weight and bias, and every state tensor after the step (forward-updated state
// from the op's outputs, backward-updated state from the tensors the backward wrote into).
//   f64: the state is carried from step to step, as a module does, for the whole sequence.
//   f32: each step starts from the reference's state of the step before (cast), so f32 rounding
//        is measured per step instead of compounding across branch decisions.

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/safetensors.h"
#include "ops/norm/norm.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {

// One sequence of tests/fixtures/sequences/<op>.safetensors: its meta, and its tensors by name
// ("in.x", "out.y", "init.running_phi", ...), steps on the first axis.
struct Sequence {
  std::string name;
  nlohmann::json meta;
  std::map<std::string, Tensor> arrays;  // f64/bool/i64 tensors

  Sequence(const SafetensorsFile& file, nlohmann::json m)
      : name(m["sequence"].get<std::string>()), meta(std::move(m)) {
    std::string prefix = name + "/";
    for (const auto& [key, t] : file.tensors)
      if (key.compare(0, prefix.size(), prefix) == 0) arrays[key.substr(prefix.size())] = t;
  }
  int steps() const { return meta["steps"].get<int>(); }
  Tensor at(const std::string& what, int s) const { return arrays.at(what).select(0, s); }
  double attr(const char* what) const { return meta["attrs"][what].get<double>(); }
  bool flag(const char* what) const { return meta["attrs"][what].get<bool>(); }
};

std::vector<Sequence> load_sequences(const std::string& op) {
  SafetensorsFile file = load_safetensors(
      std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/sequences/" + op + ".safetensors",
      Device::reference());
  REQUIRE(file.metadata["op"] == op);
  std::vector<Sequence> out;
  for (const nlohmann::json& m : nlohmann::json::parse(file.metadata.at("sequences")))
    out.emplace_back(file, m);
  return out;
}

// One step's results by name: "y", the states, and for unified_norm "skipped".
using Results = std::map<std::string, Tensor>;

Results power_norm_step(const Sequence& q, int s, const Tensor& x, const Tensor& w, const Tensor& b,
                        const Tensor& mask, std::map<std::string, Tensor>& st) {
  PowerNormOptions o;
  o.eps = q.attr("eps");
  o.alpha_fwd = q.attr("alpha_fwd");
  o.alpha_bkw = q.attr("alpha_bkw");
  o.warmup_iters = q.meta["attrs"]["warmup_iters"].get<int64_t>();
  o.code_faithful = q.flag("code_faithful");
  o.step = static_cast<int64_t>(q.at("in.step", s).item());
  o.training = q.at("in.training", s).item() != 0;
  PowerNormResult r = power_norm(x, w, b, st["running_phi"], st["ema_gz"], mask, o);
  return {{"y", r.y}, {"running_phi", r.running_phi}, {"ema_gz", st["ema_gz"]}};
}

Results unified_norm_step(const Sequence& q, int s, const Tensor& x, const Tensor& w,
                          const Tensor& b, const Tensor& mask, std::map<std::string, Tensor>& st) {
  UnifiedNormOptions o;
  o.eps = q.attr("eps");
  o.momentum = q.attr("momentum");
  o.warmup_iters = q.meta["attrs"]["warmup_iters"].get<int64_t>();
  o.outlier_filtration = q.flag("outlier_filtration");
  o.step = static_cast<int64_t>(q.at("in.step", s).item());
  o.training = q.at("in.training", s).item() != 0;
  UnifiedNormResult r = unified_norm(x, w, b, st["running_var"], st["buffer_x2"], st["ema_gz"],
                                     st["buffer_gz"], mask, o);
  return {{"y", r.y},
          {"skipped", r.skipped},
          {"running_var", r.running_var},
          {"buffer_x2", r.buffer_x2},
          {"ema_gz", st["ema_gz"]},
          {"buffer_gz", st["buffer_gz"]}};
}

using StepFn = Results (*)(const Sequence&, int, const Tensor&, const Tensor&, const Tensor&,
                           const Tensor&, std::map<std::string, Tensor>&);

void run_sequence(const Sequence& q, StepFn step, DType dtype) {
  bool f64 = dtype == DType::f64;
  double rtol = f64 ? q.meta["rtol"].get<double>() : 1e-4;
  double atol = f64 ? q.meta["atol"].get<double>() : 1e-5;
  std::vector<std::string> states = q.meta["states"].get<std::vector<std::string>>();
  std::map<std::string, Tensor> st;
  for (const std::string& name : states) st[name] = q.arrays.at("init." + name).to(dtype).clone();
  for (int s = 0; s < q.steps(); ++s) {
    INFO(q.name << " in " << dtype << ", step " << s << " (t = " << q.at("in.step", s).item()
               << ", training " << q.at("in.training", s).item() << ")");
    if (!f64 && s > 0)
      for (const std::string& name : states)
        st[name] = q.at("out." + name, s - 1).to(dtype).clone();
    auto leaf = [&](const char* name) { return q.at(name, s).to(dtype).clone().requires_grad_(); };
    Tensor x = leaf("in.x"), w = leaf("in.weight"), b = leaf("in.bias");
    Results r = step(q, s, x, w, b, q.at("in.pad_mask", s), st);
    r["y"].backward(q.at("seed.y", s).to(dtype));
    auto check = [&](const std::string& what, const Tensor& got, const Tensor& want) {
      INFO(what);
      Tensor g = is_floating(got.dtype()) ? got.to(DType::f64) : got;
      CHECK(compare(g, want, atol, rtol) == "");
    };
    for (auto& [name, t] : r) check("output " + name, t, q.at("out." + name, s));
    check("gradient of x", x.grad(), q.at("grad.x", s));
    check("gradient of weight", w.grad(), q.at("grad.weight", s));
    check("gradient of bias", b.grad(), q.at("grad.bias", s));
    for (const std::string& name : states) st[name] = r[name];
  }
}

void run_all(const std::string& op, StepFn step, size_t at_least) {
  std::vector<Sequence> sequences = load_sequences(op);
  REQUIRE(sequences.size() >= at_least);
  for (const Sequence& q : sequences) {
    REQUIRE(q.meta["op"] == op);
    CHECK(q.steps() >= 50);
    for (DType dtype : {DType::f64, DType::f32}) run_sequence(q, step, dtype);
  }
}

}  // namespace

TEST_CASE("power_norm follows the PyTorch reference over whole training runs",
          "[oracle][norm][sequence]") {
  run_all("power_norm", power_norm_step, 4);
}

TEST_CASE("unified_norm follows the PyTorch reference over whole training runs",
          "[oracle][norm][sequence]") {
  run_all("unified_norm", unified_norm_step, 6);
}
