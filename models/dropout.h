// Dropout(p): inverted dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural
// Networks from Overfitting", https://jmlr.org/papers/v15/srivastava14a.html) through the
// dropout op: in training y = x keep / (1 - p), keep ~ Bernoulli(1 - p) drawn from the global
// counter-based generator (manual_seed(s) before a forward reproduces its mask); in eval y = x.
#pragma once

#include "models/module.h"

namespace lathe::nn {

class Dropout : public Layer {
 public:
  explicit Dropout(double p = 0.5);  // p in [0, 1)
  Tensor forward(const Tensor& x) override;

  double p;
};

}  // namespace lathe::nn
