// Feature taps: the outputs of named submodules, recorded during forward through forward hooks
// (Module::register_forward_hook), so a feature-based distillation objective (fitnet_hint_loss,
// attention_transfer_loss, rkd_loss, ...) reads a teacher's and a student's intermediate features
// without their model code changing, as torchdistill's forward-hook taps do.
//
//   nn::FeatureTaps t_taps(teacher, {"8"}), s_taps(student, {"layers.0"});
//   Tensor logits = student(x);                         // records s_taps["layers.0"]
//   { NoGradGuard g; teacher(x); }                      // records t_taps["8"]
//   auto hint = nn::make_adapter("fitnet_hint_loss", s_taps["layers.0"], t_taps["8"]);
//   nn::WithAdapters wrapped(student_ptr);              // the student plus its adapters:
//   wrapped.add_adapter("hint", hint);                  // one state dict, one optimizer
//
// A tap records the output each time its module runs through Layer::operator() (the last call
// wins when a module runs twice in one forward). Recorded tensors keep their graphs until the
// next forward replaces them, clear() or the taps' destruction; destroying the taps removes
// their hooks, so a model outlives its taps with no trace of them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/module.h"

namespace lathe::nn {

class FeatureTaps {
 public:
  // Every path must name a module of `model` ("" is the model itself); an unknown path is an
  // error naming the paths there are.
  FeatureTaps(Module& model, std::vector<std::string> paths);
  ~FeatureTaps();
  FeatureTaps(const FeatureTaps&) = delete;  // the hooks hold this object's address
  FeatureTaps& operator=(const FeatureTaps&) = delete;

  // The output recorded at `path` since the last clear(); an error when the path is not tapped
  // or its module has not run (e.g. it was called with forward() rather than operator()).
  const Tensor& operator[](const std::string& path) const;
  bool has(const std::string& path) const { return outputs_.count(path) > 0; }
  const std::vector<std::string>& paths() const { return paths_; }
  void clear() { outputs_.clear(); }  // drops the recorded outputs and their graphs
  void remove();                      // unregisters the hooks (idempotent) and clears

 private:
  std::vector<std::string> paths_;
  std::vector<HookHandle> handles_;
  std::map<std::string, Tensor> outputs_;
};

// The learnable regressor of a feature objective: maps student features [B, C_s, ...] to the
// teacher's [B, C_t, ...] along axis 1 with a Linear(C_s, C_t) (on [B, C_s]) or a 1x1
// convolution (a Linear over the channel axis of [B, C_s, H, W]; keys `weight` [C_t, C_s],
// `bias` [C_t], the regressor fitnet_hint_loss takes). Shapes it cannot map (different ranks,
// batch or spatial sizes) are an error naming `objective`.
class Adapter : public Layer {
 public:
  Adapter(int64_t in_channels, int64_t out_channels, DType dtype = DType::f32,
          Device device = default_device());
  Tensor forward(const Tensor& x) override;  // [B, C_s, ...] -> [B, C_t, ...]
  Tensor weight, bias;
};

std::shared_ptr<Adapter> make_adapter(const std::string& objective, const Tensor& student,
                                      const Tensor& teacher);

// A student together with the adapters its objective trains: forward is the student's; the state
// dict holds `student.*` and `adapters.<name>.*`, so one optimizer over parameters() trains both
// and one checkpoint saves both.
class WithAdapters : public Layer {
 public:
  explicit WithAdapters(std::shared_ptr<Layer> student);
  Tensor forward(const Tensor& x) override { return (*student)(x); }
  void add_adapter(const std::string& name, std::shared_ptr<Layer> adapter);
  Layer& adapter(const std::string& name) const;

  std::shared_ptr<Layer> student;

 private:
  class AdapterSet : public Module {
   public:
    void add(const std::string& name, std::shared_ptr<Layer> a) { add_module(name, std::move(a)); }
  };
  std::shared_ptr<AdapterSet> adapters_;
  std::map<std::string, std::shared_ptr<Layer>> by_name_;
};

}  // namespace lathe::nn
