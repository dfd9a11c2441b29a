// Feature taps, adapters and the student-with-adapters wrapper (models/taps.h).
#include "models/taps.h"

#include <cmath>

#include "core/random.h"
#include "ops/nn/nn.h"
#include "ops/ops.h"

namespace lathe::nn {

FeatureTaps::FeatureTaps(Module& model, std::vector<std::string> paths) : paths_(std::move(paths)) {
  LATHE_CHECK(!paths_.empty(), "[FeatureTaps] no path given");
  std::vector<Module*> modules;
  for (size_t i = 0; i < paths_.size(); ++i) {
    const std::string& path = paths_[i];
    for (size_t j = 0; j < i; ++j)
      LATHE_CHECK(paths_[j] != path, "[FeatureTaps] path '", path, "' given twice");
    try {
      modules.push_back(&model.get_submodule(path));
    } catch (const Error& e) {
      // The same message under this object's name: "[FeatureTaps] no module at path ...".
      std::string what = e.what();
      throw Error("[FeatureTaps]" + what.substr(what.find(']') + 1));
    }
  }
  // Registered only once every path resolved: a bad path leaves the model untouched.
  for (size_t i = 0; i < modules.size(); ++i) {
    const std::string& path = paths_[i];
    handles_.push_back(modules[i]->register_forward_hook(
        [this, path](Module&, const Tensor&, const Tensor& output) { outputs_[path] = output; }));
  }
}

FeatureTaps::~FeatureTaps() { remove(); }

void FeatureTaps::remove() {
  for (HookHandle& h : handles_) h.remove();
  handles_.clear();
  clear();
}

const Tensor& FeatureTaps::operator[](const std::string& path) const {
  auto it = outputs_.find(path);
  if (it != outputs_.end()) return it->second;
  bool tapped = false;
  for (const std::string& p : paths_) tapped = tapped || p == path;
  LATHE_CHECK(tapped, "[FeatureTaps] '", path, "' is not a tapped path");
  LATHE_FAIL("[FeatureTaps] the module at '", path, "' has recorded nothing: run the model "
             "first, calling its submodules through operator() (forward() runs no hooks)");
}

Adapter::Adapter(int64_t in_channels, int64_t out_channels, DType dtype, Device device) {
  LATHE_CHECK(in_channels > 0 && out_channels > 0, "[Adapter] channels must be positive, got ",
              in_channels, " -> ", out_channels);
  double bound = 1.0 / std::sqrt(static_cast<double>(in_channels));
  weight = add_parameter("weight",
                         uniform({out_channels, in_channels}, -bound, bound, dtype, device));
  bias = add_parameter("bias", uniform({out_channels}, -bound, bound, dtype, device));
}

Tensor Adapter::forward(const Tensor& x) {
  int64_t cs = weight.shape()[1];
  LATHE_CHECK(x.dim() >= 2 && x.shape()[1] == cs, "[Adapter] expected features [B, ", cs,
              ", ...], got ", x.shape());
  if (x.dim() == 2) return linear(x, weight, bias);                        // [B, C_t]
  return transpose(linear(transpose(x, 1, -1), weight, bias), 1, -1);      // [B, C_t, ...]
}

std::shared_ptr<Adapter> make_adapter(const std::string& objective, const Tensor& student,
                                      const Tensor& teacher) {
  const Shape& s = student.shape();
  const Shape& t = teacher.shape();
  bool ok = student.dim() >= 2 && student.dim() == teacher.dim() && s[0] == t[0];
  for (int64_t d = 2; ok && d < student.dim(); ++d) ok = s[d] == t[d];
  LATHE_CHECK(ok, "[", objective, "] an adapter maps student features [B, C_s, ...] to teacher "
              "features [B, C_t, ...] of the same batch and spatial sizes; it cannot map ", s,
              " to ", t);
  return std::make_shared<Adapter>(s[1], t[1], student.dtype(), student.device());
}

WithAdapters::WithAdapters(std::shared_ptr<Layer> s)
    : student(add_module("student", std::move(s))),
      adapters_(add_module("adapters", std::make_shared<AdapterSet>())) {
  LATHE_CHECK(student != nullptr, "[WithAdapters] the student is null");
}

void WithAdapters::add_adapter(const std::string& name, std::shared_ptr<Layer> adapter) {
  LATHE_CHECK(adapter != nullptr, "[WithAdapters] adapter '", name, "' is null");
  adapters_->add(name, adapter);
  by_name_[name] = std::move(adapter);
}

Layer& WithAdapters::adapter(const std::string& name) const {
  auto it = by_name_.find(name);
  LATHE_CHECK(it != by_name_.end(), "[WithAdapters] no adapter '", name, "'");
  return *it->second;
}

}  // namespace lathe::nn
