// What the layer and example-model tests share: names, parameter counts, a plain SGD step.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lathe.h"

namespace lathe::test::models {

inline std::vector<std::string> names(const std::vector<std::pair<std::string, Tensor>>& named) {
  std::vector<std::string> out;
  for (const auto& [name, t] : named) out.push_back(name);
  return out;
}

inline int64_t parameter_count(const nn::Module& m) {
  int64_t n = 0;
  for (const Tensor& p : m.parameters()) n += p.numel();
  return n;
}

// One plain SGD step p -= lr dp on `loss`; returns the loss before the step.
inline double sgd_step(nn::Module& m, const Tensor& loss, double lr) {
  m.zero_grad();
  loss.backward();
  NoGradGuard no_grad;
  for (Tensor& p : m.parameters())
    if (p.grad().defined()) p.sub_(p.grad() * lr);
  return loss.item();
}

// Normal draws from a fixed generator on the default device.
inline Tensor draw(Shape shape, uint64_t seed, DType dtype = DType::f64) {
  Generator gen(seed);
  return randn(shape, dtype, default_device(), &gen);
}

}  // namespace lathe::test::models
