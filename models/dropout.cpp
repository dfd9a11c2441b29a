#include "models/dropout.h"

#include "ops/nn/nn.h"

namespace lathe::nn {

// p = 1 is refused: such a layer would zero every activation in training and pass them all in
// eval, which is never what a model means.
Dropout::Dropout(double p_) : p(p_) {
  LATHE_CHECK(p >= 0 && p < 1, "[Dropout] p must lie in [0, 1), got ", p);
}

Tensor Dropout::forward(const Tensor& x) { return dropout(x, p, is_training()); }

}  // namespace lathe::nn
