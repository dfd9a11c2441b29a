// The example CNN: two conv blocks (conv 3x3, ReLU, 2x2 max pool) and an MLP head.
#include "models/examples/cnn.h"

#include <memory>

#include "models/activation.h"
#include "models/conv.h"
#include "models/dropout.h"
#include "models/flatten.h"
#include "models/linear.h"
#include "ops/ops.h"

namespace lathe::nn {

CNN::CNN(int64_t c1, int64_t c2, int64_t hidden, int64_t classes, double dropout, DType dtype,
         Device device) {
  LATHE_CHECK(c1 > 0 && c2 > 0 && hidden > 0 && classes > 0, "[CNN] sizes must be positive, got ",
              c1, ", ", c2, ", ", hidden, ", ", classes);
  LATHE_CHECK(dropout >= 0 && dropout < 1, "[CNN] dropout must lie in [0, 1), got ", dropout);
  ConvOptions same;
  same.padding = {1};
  MaxPoolOptions pool;
  pool.kernel_size = {2};
  append(std::make_shared<Conv2d>(1, c1, std::vector<int64_t>{3}, same, true, dtype, device));
  append(std::make_shared<ReLU>());
  append(std::make_shared<MaxPool2d>(pool));  // [B, c1, 14, 14]
  append(std::make_shared<Conv2d>(c1, c2, std::vector<int64_t>{3}, same, true, dtype, device));
  append(std::make_shared<ReLU>());
  append(std::make_shared<MaxPool2d>(pool));  // [B, c2, 7, 7]
  append(std::make_shared<Flatten>());
  append(std::make_shared<Linear>(c2 * 7 * 7, hidden, true, dtype, device));
  append(std::make_shared<ReLU>());
  append(std::make_shared<Dropout>(dropout));
  append(std::make_shared<Linear>(hidden, classes, true, dtype, device));
}

Tensor CNN::forward(const Tensor& x) {
  LATHE_CHECK(x.dim() >= 2 && x.shape()[0] > 0 && x.numel() / x.shape()[0] == 784,
              "[CNN] expected x [B, 784] or [B, 1, 28, 28], got ", x.shape());
  return Sequential::forward(reshape(x, {x.shape()[0], 1, 28, 28}));
}

}  // namespace lathe::nn
