// Grad mode: whether ops record a graph, on or off per thread. Apart from core/autograd.h so
// that composites (which switch it off around running statistics) need nothing of the engine.
#pragma once

namespace lathe {

bool is_grad_enabled();
void set_grad_enabled(bool enabled);

// Disables graph recording in a scope: what inference and optimizer steps run under.
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool prev_;
};

class GradModeGuard {
 public:
  explicit GradModeGuard(bool enabled);
  ~GradModeGuard();
  GradModeGuard(const GradModeGuard&) = delete;
  GradModeGuard& operator=(const GradModeGuard&) = delete;

 private:
  bool prev_;
};

}  // namespace lathe
